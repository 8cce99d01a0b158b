package org.sipbridge.sip.stack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

/**
 * A SIP connection that notes when bytes arrive, so idle ones can be found: accepted (filled in by
 * {@link java.net.ServerSocket#implAccept}) or opened by the stack ({@link #connect(LongSupplier,
 * InetAddress, int, InetAddress, int)}). TLS is layered on top of it, so for TLS the bytes counted
 * are the encrypted ones (a CRLF keepalive counts as activity either way).
 */
final class TrackedSocket extends Socket implements TrackedConnection {

    private final LongSupplier clock;
    private final boolean tls;
    private volatile long openedAt;
    private volatile long lastActivity;
    private volatile boolean handshakeDone;
    private InputStream in;

    TrackedSocket(LongSupplier clock, boolean tls) {
        this.clock = clock;
        this.tls = tls;
    }

    /**
     * A plain TCP connection to {@code address:port} from {@code local} (any address when null) and
     * an ephemeral port, already connected: what jain-sip's own network layer makes, but tracked.
     */
    static TrackedSocket connect(
            LongSupplier clock, InetAddress address, int port, InetAddress local, int timeoutMillis)
            throws IOException {
        TrackedSocket socket = new TrackedSocket(clock, false);
        try {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
        } catch (SocketTimeoutException e) {
            socket.closeQuietly();
            // jain-sip's IOHandler handles SocketExceptions only (a timeout is none), like its own layer
            throw new ConnectException(
                    "no connection to " + address.getHostAddress() + ":" + port + " within " + timeoutMillis + " ms");
        } catch (IOException e) {
            socket.closeQuietly();
            throw e;
        }
        socket.opened();
        return socket;
    }

    /** Called once accepted or connected: the idle and handshake clocks start now. */
    void opened() {
        openedAt = clock.getAsLong();
        lastActivity = openedAt;
    }

    void handshakeCompleted() {
        handshakeDone = true;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        lastActivity = clock.getAsLong();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        lastActivity = clock.getAsLong();
                    }
                    return n;
                }
            };
        }
        return in;
    }

    @Override
    public String remoteAddress() {
        InetAddress address = getInetAddress();
        return address == null ? "" : address.getHostAddress();
    }

    @Override
    public long openedAt() {
        return openedAt;
    }

    @Override
    public long lastActivity() {
        return lastActivity;
    }

    @Override
    public boolean handshakePending() {
        return tls && !handshakeDone;
    }

    @Override
    public void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // already closed or reset: either way it is gone
        }
    }
}
