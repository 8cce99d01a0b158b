package org.sipbridge.daemon.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The messages in src/test/resources/netlink were received by a NETLINK_ROUTE socket bound to
 * RTMGRP_LINK | RTMGRP_IPV4_IFADDR in a network namespace on x86-64 (little-endian) Linux 6, while
 * {@code ip link add fpdummy0 type veth peer name fpdummy1; ip addr add 198.18.77.1/24 dev fpdummy0;
 * ip link set fpdummy0 up; ip addr del ...; ip link del fpdummy0} ran: one message per {@code recv}.
 */
class NetlinkMessagesTest {

    private static byte[] captured(String name) throws IOException {
        try (InputStream in = NetlinkMessagesTest.class.getResourceAsStream("/netlink/" + name + ".hex")) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    /** A message of {@code type} with no payload, as the kernel frames it (NLMSG_DONE, NLMSG_NOOP...). */
    private static byte[] bare(int type) {
        return ByteBuffer.allocate(NetlinkMessages.HEADER_BYTES)
                .order(ByteOrder.nativeOrder())
                .putInt(NetlinkMessages.HEADER_BYTES)
                .putShort((short) type)
                .array();
    }

    private static byte[] join(byte[] first, byte[] second) {
        return ByteBuffer.allocate(first.length + second.length)
                .put(first)
                .put(second)
                .array();
    }

    private static boolean mayChange(byte[] received) {
        return NetlinkMessages.mayChangeAdapters(received, received.length);
    }

    @Test
    void theCapturedMessagesAreOfTheTypesTheirNamesSay() throws IOException {
        assertEquals(
                NetlinkMessages.RTM_NEWLINK,
                ByteBuffer.wrap(captured("rtm-newlink"))
                        .order(ByteOrder.nativeOrder())
                        .getShort(4));
        assertEquals(
                NetlinkMessages.RTM_NEWADDR,
                ByteBuffer.wrap(captured("rtm-newaddr"))
                        .order(ByteOrder.nativeOrder())
                        .getShort(4));
        assertEquals(
                NetlinkMessages.RTM_DELADDR,
                ByteBuffer.wrap(captured("rtm-deladdr"))
                        .order(ByteOrder.nativeOrder())
                        .getShort(4));
        assertEquals(
                NetlinkMessages.RTM_DELLINK,
                ByteBuffer.wrap(captured("rtm-dellink"))
                        .order(ByteOrder.nativeOrder())
                        .getShort(4));
    }

    @Test
    void eachLinkOrAddressChangeTheKernelSentMayChangeTheAdapters() throws IOException {
        for (String name : new String[] {"rtm-newlink", "rtm-newaddr", "rtm-deladdr", "rtm-dellink"}) {
            assertTrue(mayChange(captured(name)), name);
        }
    }

    @Test
    void otherMessagesDoNot() {
        assertFalse(mayChange(bare(1)), "NLMSG_NOOP");
        assertFalse(mayChange(bare(3)), "NLMSG_DONE");
        assertFalse(mayChange(bare(24)), "RTM_NEWROUTE");
        assertFalse(mayChange(join(bare(3), bare(24))));
        assertFalse(mayChange(new byte[0]));
    }

    @Test
    void aChangeAfterOtherMessagesInOneReceiveIsFound() throws IOException {
        assertTrue(mayChange(join(bare(3), captured("rtm-deladdr"))));
        assertTrue(mayChange(join(join(bare(1), bare(24)), captured("rtm-newlink"))));
    }

    @Test
    void onlyTheReceivedLengthIsRead() throws IOException {
        byte[] buffer = join(bare(3), captured("rtm-newaddr"));
        assertFalse(NetlinkMessages.mayChangeAdapters(buffer, NetlinkMessages.HEADER_BYTES));
    }

    @Test
    void aTruncatedOrMalformedReceiveIsTakenAsAPossibleChange() throws IOException {
        byte[] newAddr = captured("rtm-newaddr");
        assertTrue(
                NetlinkMessages.mayChangeAdapters(join(bare(3), newAddr), NetlinkMessages.HEADER_BYTES + 20),
                "a message cut short");
        assertTrue(
                NetlinkMessages.mayChangeAdapters(join(bare(3), newAddr), NetlinkMessages.HEADER_BYTES + 8),
                "a header cut short");
        byte[] zeroLength = bare(3);
        ByteBuffer.wrap(zeroLength).order(ByteOrder.nativeOrder()).putInt(0, 0);
        assertTrue(mayChange(zeroLength), "a length that would never advance");
    }
}
