package org.sipbridge.daemon.recovery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads what one {@code recv} on a NETLINK_ROUTE socket returned: a run of netlink messages, each
 * starting with a 16-byte {@code struct nlmsghdr} in the machine's byte order (length, type, flags,
 * sequence, port), padded to 4 bytes. Only the types matter to the adapter watcher: a message is a
 * reason to look at the adapters again, never a description of them (the JDK's adapter list stays
 * the one source of names and addresses).
 */
final class NetlinkMessages {

    static final int HEADER_BYTES = 16;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;

    private NetlinkMessages() {}

    /**
     * Whether the first {@code length} bytes of {@code received} hold a link or address change, or
     * cannot be read (a truncated run may have lost one: looking again costs one adapter listing).
     */
    static boolean mayChangeAdapters(byte[] received, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(received, 0, length).order(ByteOrder.nativeOrder());
        int at = 0;
        while (length - at >= HEADER_BYTES) {
            int messageLength = buffer.getInt(at);
            int type = Short.toUnsignedInt(buffer.getShort(at + 4));
            if (messageLength < HEADER_BYTES || messageLength > length - at) {
                return true;
            }
            if (type == RTM_NEWLINK || type == RTM_DELLINK || type == RTM_NEWADDR || type == RTM_DELADDR) {
                return true;
            }
            at += (messageLength + 3) & ~3;
        }
        return at < length;
    }
}
