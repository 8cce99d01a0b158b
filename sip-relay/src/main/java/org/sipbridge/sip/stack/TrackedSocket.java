package org.sipbridge.sip.stack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.LongSupplier;

/**
 * An accepted SIP connection that notes when bytes arrive, so idle ones can be found. Filled in by
 * {@link java.net.ServerSocket#implAccept}; TLS is layered on top of it, so for TLS the bytes counted
 * are the encrypted ones (a CRLF keepalive counts as activity either way).
 */
final class TrackedSocket extends Socket implements TrackedConnection {

    private final LongSupplier clock;
    private final boolean tls;
    private volatile long acceptedAt;
    private volatile long lastActivity;
    private volatile boolean handshakeDone;
    private InputStream in;

    TrackedSocket(LongSupplier clock, boolean tls) {
        this.clock = clock;
        this.tls = tls;
    }

    /** Called once accepted: the idle and handshake clocks start now. */
    void accepted() {
        acceptedAt = clock.getAsLong();
        lastActivity = acceptedAt;
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
    public long acceptedAt() {
        return acceptedAt;
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
