package org.sipbridge.dhcp;

import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * SO_BINDTODEVICE for the DHCP socket (Linux, epoll transport): the socket then receives only what
 * arrives on the LAN adapter. The socket must bind the wildcard to receive broadcasts, and Linux
 * delivers a datagram for any local address on any interface, so without this a host on the VPN
 * side could reach the responder (with a forged LAN source, even past the source check).
 */
final class LanDevice {

    /** From Linux's {@code <asm-generic/socket.h>} and {@code <net/if.h>}; the same on every architecture netty's epoll supports. */
    private static final int SOL_SOCKET = 1;

    private static final int SO_BINDTODEVICE = 25;
    private static final int IFNAMSIZ = 16;

    static final RawUnixChannelOption SO_BINDTODEVICE_OPTION =
            new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ);

    private LanDevice() {}

    /** The option value for {@code interfaceName}: the name, NUL-padded to IFNAMSIZ. */
    static ByteBuffer value(String interfaceName) {
        byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("not a Linux interface name: \"" + interfaceName + "\"");
        }
        ByteBuffer value = ByteBuffer.allocate(IFNAMSIZ);
        value.put(name).position(0);
        return value;
    }

    /** The interface name in an option value read back from the socket, or null if there is none. */
    static String name(ByteBuffer value) {
        if (value == null) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (int i = value.position(); i < value.limit() && value.get(i) != 0; i++) {
            name.append((char) value.get(i));
        }
        return name.isEmpty() ? null : name.toString();
    }
}
