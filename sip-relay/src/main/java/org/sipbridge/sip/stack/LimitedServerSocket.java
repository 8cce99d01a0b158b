package org.sipbridge.sip.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The TCP listener jain-sip gets: every accepted connection is tracked and admitted under the
 * {@link ConnectionLimits}; a refused one is closed at once and the next one accepted, so the
 * accept thread never waits for a slot (jain-sip's own cap blocked it for every phone).
 */
final class LimitedServerSocket extends ServerSocket {

    private final ListenerConnections connections;
    private final ConnectionGuard guard;

    LimitedServerSocket(int port, int backlog, InetAddress bindAddress, ConnectionGuard guard) throws IOException {
        super(port, backlog, bindAddress);
        this.guard = guard;
        this.connections = guard.newListener("SIP TCP " + bindAddress.getHostAddress() + ":" + getLocalPort());
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            TrackedSocket socket = new TrackedSocket(guard::now, false);
            implAccept(socket);
            socket.opened();
            if (connections.admit(socket)) {
                return socket;
            }
            socket.closeQuietly();
        }
    }
}
