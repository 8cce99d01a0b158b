package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.server.DefaultByteBufferPool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.tls.Pem;
import org.sipbridge.provisioning.admission.DescriptorUsage;
import org.sipbridge.provisioning.admission.ListenerLimits;
import org.sipbridge.provisioning.http.UpstreamConnector;
import org.sipbridge.provisioning.inject.InjectionSettings;
import org.sipbridge.provisioning.inject.ProvisionedPhones;

/**
 * The proxy as the phone sees it, on loopback: the "LAN" address is 127.0.0.3 and the "VPN"
 * address 127.0.0.2, so tests can tell which side a connection comes from. Stopping it checks that
 * every pooled buffer came back.
 */
final class ProxyUnderTest implements AutoCloseable {

    static final InetAddress LAN = address("127.0.0.3");
    static final InetAddress VPN = address("127.0.0.2");
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    final ProvisioningProxyService service;
    final CountingBufferPool pool;
    private boolean stopped;

    private ProxyUnderTest(ProvisioningProxyService service, CountingBufferPool pool) {
        this.service = service;
        this.pool = pool;
    }

    static ProvisioningProxyOptions options(Path dataDir, String upstream) {
        return new ProvisioningProxyOptions(
                LAN,
                Ipv4Subnet.parse("127.0.0.0/8"),
                0,
                0,
                VPN,
                upstream,
                dataDir,
                Optional.empty(),
                ProvisioningProxyOptions.DEFAULT_CONNECT_TIMEOUT,
                ProvisioningProxyOptions.DEFAULT_IDLE_TIMEOUT,
                ListenerLimits.DEFAULT);
    }

    static ProxyUnderTest start(Path dataDir, String upstream) throws Exception {
        return start(options(dataDir, upstream), InetAddress::getAllByName);
    }

    static ProxyUnderTest start(ProvisioningProxyOptions options, UpstreamConnector.Resolver resolver)
            throws Exception {
        return start(options, resolver, () -> 0);
    }

    static ProxyUnderTest start(
            ProvisioningProxyOptions options, UpstreamConnector.Resolver resolver, DescriptorUsage descriptors)
            throws Exception {
        return start(options, resolver, descriptors, null);
    }

    /** With the Polycom configuration injection reading {@code injection} at each request. */
    static ProxyUnderTest startInjecting(Path dataDir, String upstream, Supplier<InjectionSettings> injection)
            throws Exception {
        return start(options(dataDir, upstream), InetAddress::getAllByName, () -> 0, injection);
    }

    private static ProxyUnderTest start(
            ProvisioningProxyOptions options,
            UpstreamConnector.Resolver resolver,
            DescriptorUsage descriptors,
            Supplier<InjectionSettings> injection)
            throws Exception {
        CountingBufferPool pool = new CountingBufferPool(new DefaultByteBufferPool(true, 16 * 1024));
        ProvisioningProxyService service =
                new ProvisioningProxyService(options, Clock.systemUTC(), () -> pool, resolver, descriptors);
        if (injection != null) {
            service.injecting(injection, new ProvisionedPhones(Clock.systemUTC()));
        }
        service.start();
        return new ProxyUnderTest(service, pool);
    }

    /** A connection from the phone to the HTTP or the HTTPS listener; HTTPS trusts the proxy's certificate. */
    Socket phone(boolean https) throws Exception {
        InetSocketAddress target = https ? service.httpsAddress() : service.httpAddress();
        Socket socket;
        if (https) {
            SSLSocket tls =
                    (SSLSocket) phoneTls().getSocketFactory().createSocket(target.getAddress(), target.getPort());
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            socket = tls;
        } else {
            socket = new Socket(target.getAddress(), target.getPort());
        }
        socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
        return socket;
    }

    /** A client socket to the HTTPS listener offering only {@code protocol} and {@code suite}; not yet handshaken. */
    SSLSocket tlsClient(String protocol, String suite) throws Exception {
        InetSocketAddress target = service.httpsAddress();
        SSLSocket socket =
                (SSLSocket) phoneTls().getSocketFactory().createSocket(target.getAddress(), target.getPort());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setEnabledCipherSuites(new String[] {suite});
        socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
        return socket;
    }

    /** What the phone trusts after IT installed the proxy's certificate on it. */
    SSLContext phoneTls() throws Exception {
        return TestCertificates.trusting(
                Pem.readCertificates(service.listenerCertificatePem()).get(0));
    }

    RawHttp.Response send(boolean https, String head, byte[] body) throws Exception {
        try (Socket socket = phone(https)) {
            return RawHttp.exchange(socket, head, body);
        }
    }

    RawHttp.Response get(boolean https, String target, String... headers) throws Exception {
        return send(https, RawHttp.request("GET", target, headers), null);
    }

    void stop() {
        if (!stopped) {
            stopped = true;
            service.stop();
            assertEquals(0, pool.outstanding(), "pooled buffers not given back after stop");
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(
                    literal, InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static UnknownHostException unreachable(String host) {
        return new UnknownHostException(host + ": Name or service not known");
    }
}
