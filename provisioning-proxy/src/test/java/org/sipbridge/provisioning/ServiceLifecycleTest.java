package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.ListenerCertificate;
import org.sipbridge.contract.tls.Pem;
import org.sipbridge.contract.tls.SelfSignedCertificate;

/** Start, stop and restart as the daemon drives them, and the HTTPS listener's certificate. */
class ServiceLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void takenPortFailsTheStartNamingAddressPortAndCause() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(ProxyUnderTest.LAN, 0));
            int port = taken.getLocalPort();
            ProvisioningProxyService service = new ProvisioningProxyService(
                    ProxyUnderTest.options(dataDir, "http://127.0.0.1:1/").withPorts(0, port));

            BindException failure = assertThrows(BindException.class, service::start);

            assertTrue(failure.getMessage().contains("HTTPS provisioning on 127.0.0.3:" + port), failure.getMessage());
            assertTrue(failure.getMessage().contains("Address already in use"), failure.getMessage());
            assertThrows(IllegalStateException.class, service::httpAddress, "nothing is left running");
        }
    }

    /**
     * Also that a relay cut by the stop gives its pooled buffer back (the strict count in
     * {@link ProxyUnderTest#stop()}): it was dropped in 4 of 10 runs before the proxy closed its connections
     * itself. Plain HTTP only: over HTTPS the buffer is still dropped now and then (README, "Stopping").
     */
    @Test
    void stopReleasesThePortsAtOnceEvenDuringADownload() throws Exception {
        InetSocketAddress http;
        InetSocketAddress https;
        try (TestUpstream upstream = TestUpstream.http()) {
            ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, upstream.url("/"));
            http = proxy.service.httpAddress();
            https = proxy.service.httpsAddress();
            try (Socket phone = proxy.phone(false)) {
                phone.getOutputStream()
                        .write(RawHttp.request("GET", "/firmware/1000000000.sip.ld")
                                .getBytes(StandardCharsets.US_ASCII));
                InputStream in = phone.getInputStream();
                assertEquals(200, RawHttp.readHead(in).status());
                in.readNBytes(1_000_000);

                long started = System.nanoTime();
                proxy.stop();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.println("stop during a download took " + took.toMillis() + " ms");

                assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
                assertTrue(drain(in) < 1_000_000_000L - 1_000_000, "the download was cut");
            }
        }
        try (ServerSocket again = new ServerSocket();
                ServerSocket againTls = new ServerSocket()) {
            again.bind(http);
            againTls.bind(https);
        }
    }

    @Test
    void generatedCertificateIsKeptAcrossRestartsWithAnOwnerOnlyKey() throws Exception {
        String first;
        try (ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, "")) {
            first = proxy.service.listenerCertificate().sha256Fingerprint();
            try (Socket phone = proxy.phone(true)) {
                assertTrue(phone.isConnected(), "the phone verifies the certificate and its IP address");
            }
        }
        try (ProxyUnderTest restarted = ProxyUnderTest.start(dataDir, "")) {
            CertificateDetails again = restarted.service.listenerCertificate();

            assertEquals(first, again.sha256Fingerprint());
            assertEquals(List.of("IP:127.0.0.3"), again.subjectAlternativeNames());
            assertEquals("SHA256withRSA", again.signatureAlgorithm());
        }
        assertEquals(
                PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dataDir.resolve(ListenerCertificate.keyFile("provisioning-https"))));
    }

    @Test
    void certificateSuppliedByItIsPresentedToThePhone() throws Exception {
        SelfSignedCertificate issued = SelfSignedCertificate.create(
                "HTTPS provisioning", java.util.List.of(ProxyUnderTest.LAN), Clock.systemUTC());
        Path certificate =
                Files.writeString(dataDir.resolve("it-cert.pem"), Pem.certificates(List.of(issued.certificate())));
        Path key = Files.writeString(
                dataDir.resolve("it-key.pem"), Pem.privateKey(issued.keyPair().getPrivate()));
        ProvisioningProxyOptions options =
                ProxyUnderTest.options(dataDir, "").withSuppliedCertificate(certificate, key);

        try (ProxyUnderTest proxy = ProxyUnderTest.start(options, java.net.InetAddress::getAllByName);
                Socket phone = proxy.phone(true)) {
            X509Certificate presented = (X509Certificate)
                    ((javax.net.ssl.SSLSocket) phone).getSession().getPeerCertificates()[0];

            assertEquals(issued.certificate(), presented);
            assertTrue(
                    Files.notExists(dataDir.resolve(ListenerCertificate.keyFile("provisioning-https"))),
                    "nothing generated");
        }
    }

    @Test
    void optionsComeFromTheBridgeSettingsAndAdapters() {
        BridgeSettings bridge = BridgeSettings.defaults();
        ResolvedAdapter lan = new ResolvedAdapter(
                new NetworkAdapter("eth0", "eth0", true, false, List.of()), Ipv4Subnet.parse("192.168.1.20/24"));
        ResolvedAdapter vpn = new ResolvedAdapter(
                new NetworkAdapter("tun0", "tun0", true, false, List.of()), Ipv4Subnet.parse("10.8.0.5/24"));

        ProvisioningProxyOptions options = ProvisioningProxyOptions.of(bridge, lan, vpn, dataDir);

        assertEquals("192.168.1.20", options.lanAddress().getHostAddress());
        assertEquals("10.8.0.5", options.vpnAddress().getHostAddress());
        assertEquals(8088, options.httpPort());
        assertEquals(8089, options.httpsPort());
        assertEquals("", options.upstream());
        assertEquals(Duration.ofSeconds(5), options.connectTimeout());
    }

    @Test
    void theApiSaysWhenTheProxyIsNotRunning() throws Exception {
        ProvisioningProxyService service = new ProvisioningProxyService(ProxyUnderTest.options(dataDir, ""));

        assertEquals("provisioning-proxy", service.name());
        assertTrue(service.untrustedUpstream().isEmpty());
        assertThrows(IllegalStateException.class, service::trustUntrusted);
        assertThrows(IllegalStateException.class, service::listenerCertificatePem);
        assertEquals(
                "provisioning upstream not configured", service.reasons().get(0).message());
        assertThrows(IllegalArgumentException.class, () -> service.updateUpstream("ftp://prov.example.com/"));
        service.stop();
    }

    private static long drain(InputStream in) {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        } catch (java.io.IOException e) {
            // a reset is as good as an end here
        }
        return total;
    }
}
