package org.sipbridge.sip.stack;

/** A connection that only records what the limits did to it, for tests on a fake clock. */
class FakeConnection implements TrackedConnection {

    final String address;
    final long openedAt;
    long lastActivity;
    boolean handshakePending;
    boolean closed;

    FakeConnection(String address, long now) {
        this.address = address;
        this.openedAt = now;
        this.lastActivity = now;
    }

    @Override
    public String remoteAddress() {
        return address;
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
        return handshakePending;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void closeQuietly() {
        closed = true;
    }
}
