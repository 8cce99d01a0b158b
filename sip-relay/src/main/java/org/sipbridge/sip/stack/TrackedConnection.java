package org.sipbridge.sip.stack;

/** What the connection limits need to know about an accepted connection (a socket, or a fake in tests). */
interface TrackedConnection {

    /** The remote IP address, as text. */
    String remoteAddress();

    /** When the connection was accepted, on the tracker's clock (nanoseconds). */
    long acceptedAt();

    /** When the last byte arrived (or {@link #acceptedAt()}), on the tracker's clock. */
    long lastActivity();

    /** True for a TLS connection whose handshake has not completed yet. */
    boolean handshakePending();

    boolean isClosed();

    /** Closes the connection; jain-sip's reader for it sees the socket closed and cleans up. */
    void closeQuietly();
}
