package org.sipbridge.sip.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The TLS listener jain-sip gets: accepts plain TCP connections under the {@link ConnectionLimits}
 * (like {@link LimitedServerSocket}) and layers TLS over each one in server mode, with the
 * protocols, suites and client-authentication settings jain-sip set on this listener. The
 * handshake itself runs later in jain-sip's per-connection thread; one that has not finished
 * within the handshake timeout is closed by the sweep, so a client that sends garbage or nothing
 * holds no slot for long and never delays accepting others.
 */
final class LimitedSslServerSocket extends SSLServerSocket {

    private final SSLContext context;
    private final ListenerConnections connections;
    private final ConnectionGuard guard;
    private final SSLParameters parameters;
    private boolean sessionCreation = true;

    LimitedSslServerSocket(SSLContext context, int port, int backlog, InetAddress bindAddress, ConnectionGuard guard)
            throws IOException {
        super(port, backlog, bindAddress);
        this.context = context;
        this.guard = guard;
        this.parameters = context.getDefaultSSLParameters();
        this.connections = guard.newListener("SIP TLS " + bindAddress.getHostAddress() + ":" + getLocalPort());
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            TrackedSocket raw = new TrackedSocket(guard::now, true);
            implAccept(raw);
            raw.opened();
            if (!connections.admit(raw)) {
                raw.closeQuietly();
                continue;
            }
            try {
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, true);
                synchronized (this) {
                    tls.setSSLParameters(parameters);
                    tls.setEnableSessionCreation(sessionCreation);
                }
                tls.addHandshakeCompletedListener(event -> raw.handshakeCompleted());
                return tls;
            } catch (IOException | RuntimeException e) {
                // Layering does no I/O; if it fails anyway, drop this connection, not the listener.
                raw.closeQuietly();
            }
        }
    }

    @Override
    public synchronized String[] getEnabledCipherSuites() {
        return parameters.getCipherSuites();
    }

    @Override
    public synchronized void setEnabledCipherSuites(String[] suites) {
        parameters.setCipherSuites(suites);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return context.getSupportedSSLParameters().getCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return context.getSupportedSSLParameters().getProtocols();
    }

    @Override
    public synchronized String[] getEnabledProtocols() {
        return parameters.getProtocols();
    }

    @Override
    public synchronized void setEnabledProtocols(String[] protocols) {
        parameters.setProtocols(protocols);
    }

    @Override
    public synchronized void setNeedClientAuth(boolean need) {
        parameters.setNeedClientAuth(need);
    }

    @Override
    public synchronized boolean getNeedClientAuth() {
        return parameters.getNeedClientAuth();
    }

    @Override
    public synchronized void setWantClientAuth(boolean want) {
        parameters.setWantClientAuth(want);
    }

    @Override
    public synchronized boolean getWantClientAuth() {
        return parameters.getWantClientAuth();
    }

    @Override
    public void setUseClientMode(boolean clientMode) {
        if (clientMode) {
            throw new IllegalArgumentException("a SIP TLS listener is always the server side");
        }
    }

    @Override
    public boolean getUseClientMode() {
        return false;
    }

    @Override
    public synchronized void setEnableSessionCreation(boolean enabled) {
        sessionCreation = enabled;
    }

    @Override
    public synchronized boolean getEnableSessionCreation() {
        return sessionCreation;
    }
}
