package org.sipbridge.sip.stack;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip's socket factory with the SIP DSCP mark on every socket the stack opens (listening UDP,
 * TCP listeners, outgoing connections). Marks can change while running: every open socket is kept
 * (weakly) so a new value applies at once. Its TCP and TLS listeners admit connections under the
 * stack's {@link ConnectionGuard} (per-address and per-listener caps, idle timeout, TLS handshake
 * timeout), and the plain TCP connections the stack opens come under the guard's idle sweep. jain-sip
 * builds this class by name, so its settings come from the stack's properties and its per-stack
 * state is found by stack name.
 */
public final class DscpNetworkLayer implements NetworkLayer {

    /** Stack property: the IP traffic class (DSCP << 2), or -1 to leave sockets unmarked. */
    public static final String TRAFFIC_CLASS = "org.sipbridge.sip.TRAFFIC_CLASS";

    private static final Logger log = LoggerFactory.getLogger(DscpNetworkLayer.class);
    private static final Map<String, DscpNetworkLayer> BY_STACK = new ConcurrentHashMap<>();
    private static final Map<String, SSLContext> TLS_BY_STACK = new ConcurrentHashMap<>();
    private static final Map<String, ConnectionLimits> LIMITS_BY_STACK = new ConcurrentHashMap<>();
    /** jain-sip's own network layer waits 8 s for a TCP connection whatever CONNECTION_TIMEOUT says. */
    private static final int DEFAULT_CONNECT_TIMEOUT_MS = 8000;

    private final Set<Object> sockets = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private NetworkLayer delegate = DefaultNetworkLayer.SINGLETON;
    private volatile int trafficClass = -1;
    private SSLContext tls;
    private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    private ConnectionGuard guard = new ConnectionGuard(ConnectionLimits.DEFAULTS, System::nanoTime);

    /**
     * The TLS identity (certificate, trust) for the stack about to be created under
     * {@code stackName}: jain-sip's own TLS layer reads key stores from files, this one takes the
     * bridge's certificate as it is.
     */
    public static void prepareTls(String stackName, SSLContext context) {
        TLS_BY_STACK.put(stackName, context);
    }

    /** Other connection limits than the defaults for the stack about to be created under {@code stackName} (tests). */
    public static void prepareLimits(String stackName, ConnectionLimits limits) {
        LIMITS_BY_STACK.put(stackName, limits);
    }

    @Override
    public void setSipStack(SipStackImpl stack) {
        trafficClass = Integer.parseInt(stack.getConfigurationProperties().getProperty(TRAFFIC_CLASS, "-1"));
        connectTimeoutMs = Integer.parseInt(stack.getConfigurationProperties()
                .getProperty("gov.nist.javax.sip.CONNECTION_TIMEOUT", String.valueOf(DEFAULT_CONNECT_TIMEOUT_MS)));
        tls = TLS_BY_STACK.get(stack.getStackName());
        guard = new ConnectionGuard(
                LIMITS_BY_STACK.getOrDefault(stack.getStackName(), ConnectionLimits.DEFAULTS), System::nanoTime);
        delegate.setSipStack(stack);
        BY_STACK.put(stack.getStackName(), this);
    }

    private SSLContext tls() throws IOException {
        if (tls == null) {
            throw new IOException("SIP over TLS is not enabled (protocols.tls.enabled)");
        }
        return tls;
    }

    /** Remarks every open socket of the stack named {@code stackName} and those it opens later. */
    public static void setTrafficClass(String stackName, int trafficClass) {
        DscpNetworkLayer layer = BY_STACK.get(stackName);
        if (layer == null) {
            return;
        }
        layer.trafficClass = trafficClass;
        synchronized (layer.sockets) {
            layer.sockets.forEach(layer::mark);
        }
    }

    /** The connection limits of the stack named {@code stackName}, once jain-sip has created it. */
    public static Optional<ConnectionGuard> connectionGuard(String stackName) {
        return Optional.ofNullable(BY_STACK.get(stackName)).map(layer -> layer.guard);
    }

    /** Forgets a stopped stack. */
    public static void forget(String stackName) {
        BY_STACK.remove(stackName);
        TLS_BY_STACK.remove(stackName);
        LIMITS_BY_STACK.remove(stackName);
    }

    private <T> T marked(T socket) {
        mark(socket);
        sockets.add(socket);
        return socket;
    }

    private void mark(Object socket) {
        int value = trafficClass;
        if (value < 0) {
            return;
        }
        try {
            if (socket instanceof DatagramSocket datagram) {
                datagram.setTrafficClass(value);
            } else if (socket instanceof Socket stream) {
                stream.setTrafficClass(value);
            } else if (socket instanceof ServerSocket server
                    && server.supportedOptions().contains(StandardSocketOptions.IP_TOS)) {
                // Linux gives accepted connections the listener's TOS.
                server.setOption(StandardSocketOptions.IP_TOS, value);
            }
        } catch (IOException e) {
            log.debug("Could not set the DSCP mark on {}: {}", socket, e.getMessage());
        }
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return marked(new LimitedServerSocket(port, backlog, bindAddress, guard));
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return marked(new LimitedSslServerSocket(tls(), port, backlog, bindAddress, guard));
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return createSocket(address, port, null);
    }

    /** A connection the stack opens (to send a request or a response): tracked for the idle sweep. */
    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return marked(guard.opened(TrackedSocket.connect(guard::now, address, port, myAddress, connectTimeoutMs)));
    }

    /** Like jain-sip's own layer, binds an ephemeral port whatever {@code myPort} says. */
    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return createSocket(address, port, myAddress);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return marked(
                checkingServerIdentity((SSLSocket) tls().getSocketFactory().createSocket(address, port)));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return marked(
                checkingServerIdentity((SSLSocket) tls().getSocketFactory().createSocket(address, port, myAddress, 0)));
    }

    /**
     * RFC 5922 §7.2: a certificate that chains to a trusted authority is not enough, it must also name
     * the server the bridge connects to (subjectAltName DNS name, or IP address when the server is
     * configured by address), or anyone with any trusted certificate could pose as the PBX. The
     * JDK's check uses the host name the server was configured with, never a reverse lookup.
     */
    private static SSLSocket checkingServerIdentity(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return marked(delegate.createDatagramSocket());
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        return marked(delegate.createDatagramSocket(port, bindAddress));
    }

    /** The sockets currently marked, for tests. */
    int socketCount() {
        return sockets.size();
    }
}
