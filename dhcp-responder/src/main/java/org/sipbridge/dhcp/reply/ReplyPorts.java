package org.sipbridge.dhcp.reply;

/**
 * Where replies go (RFC 2131 §4.1): clients listen on {@code clientPort}, relay agents on the server
 * port. Tests on loopback use unprivileged ports instead of 67/68.
 */
public record ReplyPorts(int serverPort, int clientPort) {

    public static final ReplyPorts STANDARD = new ReplyPorts(67, 68);

    public ReplyPorts {
        if (serverPort < 1 || serverPort > 65535 || clientPort < 1 || clientPort > 65535) {
            throw new IllegalArgumentException("ports must be 1-65535 (were " + serverPort + ", " + clientPort + ")");
        }
    }
}
