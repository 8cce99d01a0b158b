package org.sipbridge.sip.stack;

/**
 * What the connection limits need to know about a connection, accepted by a listener or opened by
 * the stack (a socket, or a fake in tests).
 */
interface TrackedConnection {

    /** The remote IP address, as text. */
    String remoteAddress();

    /** When the connection was accepted or connected, on the tracker's clock (nanoseconds). */
    long openedAt();

    /** When the last byte arrived (or {@link #openedAt()}), on the tracker's clock. */
    long lastActivity();

    /** True for a TLS connection whose handshake has not completed yet. */
    boolean handshakePending();

    boolean isClosed();

    /** Closes the connection; jain-sip's reader for it sees the socket closed and cleans up. */
    void closeQuietly();
}
