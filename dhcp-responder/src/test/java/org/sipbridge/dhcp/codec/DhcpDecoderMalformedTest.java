package org.sipbridge.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a datagram can fail to be DHCP ends in one exception type with a precise reason. */
class DhcpDecoderMalformedTest {

    private static final int OPTIONS = 240;
    private static final int SNAME = 44;
    private static final int FILE = 108;

    @ParameterizedTest
    @ValueSource(
            strings = {
                GoldenPackets.INFORM,
                GoldenPackets.DISCOVER,
                GoldenPackets.REQUEST,
                GoldenPackets.INFORM_OVERLOAD,
                GoldenPackets.INFORM_SPLIT_OPTION
            })
    void everyPrefixWithoutTheEndOptionIsRejected(String name) throws MalformedDhcpException {
        byte[] packet = GoldenPackets.bytes(name);
        int end = GoldenPackets.endOptionOffset(packet);
        DhcpMessage whole = DhcpDecoder.decode(packet);

        for (int length = 0; length <= end; length++) {
            byte[] prefix = Arrays.copyOf(packet, length);
            assertThrows(MalformedDhcpException.class, () -> DhcpDecoder.decode(prefix), name + " cut to " + length);
        }
        // Past the end option only padding is cut: the message is the same.
        for (int length = end + 1; length <= packet.length; length++) {
            assertEquals(whole, DhcpDecoder.decode(Arrays.copyOf(packet, length)), name + " cut to " + length);
        }
    }

    @Test
    void namesAShortHeader() {
        assertReason("truncated: 200 bytes, BOOTP header needs 236", new byte[200]);
    }

    @Test
    void namesAMissingMagicCookie() {
        byte[] packet = Arrays.copyOf(GoldenPackets.bytes(GoldenPackets.INFORM), 238);
        assertReason("truncated: 238 bytes, the magic cookie needs 240", packet);
    }

    @Test
    void namesAnUnknownOp() {
        byte[] packet = GoldenPackets.bytes(GoldenPackets.INFORM);
        packet[0] = 3;
        assertReason("op 3 is neither BOOTREQUEST (1) nor BOOTREPLY (2)", packet);
    }

    @Test
    void namesAHardwareAddressLongerThanChaddr() {
        byte[] packet = GoldenPackets.bytes(GoldenPackets.INFORM);
        packet[2] = 20;
        assertReason("hlen 20 > 16", packet);
    }

    @Test
    void namesABadMagicCookie() {
        byte[] packet = GoldenPackets.bytes(GoldenPackets.INFORM);
        packet[239] = 100;
        assertReason("bad magic cookie 99.130.83.100 (expected 99.130.83.99)", packet);
    }

    @Test
    void namesAnOptionLongerThanThePacket() {
        byte[] packet = GoldenPackets.bytes(GoldenPackets.INFORM);
        // Option 55 follows 53 (3 bytes); claim 200 bytes where far fewer remain.
        assertEquals(55, packet[OPTIONS + 3] & 0xff);
        packet[OPTIONS + 4] = (byte) 200;
        assertReason("option 55 runs past the end of the options field (length 200, 22 bytes left)", packet);
    }

    @Test
    void namesAnOptionWithoutItsLengthByte() {
        byte[] packet = Arrays.copyOf(GoldenPackets.bytes(GoldenPackets.INFORM), OPTIONS + 4);
        assertReason("option 55 has no length byte: the options field ends first", packet);
    }

    @Test
    void namesAMissingEndOption() {
        byte[] packet = GoldenPackets.bytes(GoldenPackets.INFORM);
        packet[packet.length - 1] = 0;
        assertReason("the options field has no end option (255)", packet);
    }

    @Test
    void namesAnOverloadThatPointsAtAnEmptyField() {
        byte[] packet = options(0x35, 1, 8, 0x34, 1, 1, 0xff);
        assertReason("the file field (overloaded) has no end option (255)", packet);
    }

    @Test
    void namesAnOverloadedSnameWithoutEnd() {
        byte[] packet = options(0x35, 1, 8, 0x34, 1, 3, 0xff);
        packet[FILE] = (byte) 0xff;
        assertReason("the sname field (overloaded) has no end option (255)", packet);
    }

    @Test
    void namesAnOptionRunningPastAnOverloadedField() {
        byte[] packet = options(0x35, 1, 8, 0x34, 1, 2, 0xff);
        packet[SNAME + 60] = 60;
        packet[SNAME + 61] = 10;
        assertReason("option 60 runs past the end of the sname field (overloaded) (length 10, 2 bytes left)", packet);
    }

    @Test
    void namesAnOverloadValueOutOfRange() {
        assertReason(
                "option 52 (overload) is 4, expected 1 (file), 2 (sname) or 3 (both)",
                options(0x35, 1, 8, 0x34, 1, 4, 0xff));
    }

    @Test
    void namesAnOverloadOfTheWrongLength() {
        assertReason("option 52 (overload) has length 2, needs 1", options(0x35, 1, 8, 0x34, 2, 1, 1, 0xff));
    }

    @Test
    void namesARepeatedOverload() {
        // RFC 3396 joins the two instances into one two-byte value.
        assertReason("option 52 (overload) has length 2, needs 1", options(0x34, 1, 1, 0x35, 1, 8, 0x34, 1, 1, 0xff));
    }

    @Test
    void namesAnOverloadInsideAnOverloadedField() {
        byte[] packet = options(0x35, 1, 8, 0x34, 1, 1, 0xff);
        packet[FILE] = 0x34;
        packet[FILE + 1] = 1;
        packet[FILE + 2] = 2;
        packet[FILE + 3] = (byte) 0xff;
        assertReason("option 52 (overload) inside the file field (overloaded)", packet);
    }

    @Test
    void namesAMessageTypeOfTheWrongLength() {
        assertReason("option 53 has length 2, needs 1", options(0x35, 2, 8, 8, 0xff));
    }

    @Test
    void namesARepeatedMessageType() {
        assertReason("option 53 has length 2, needs 1", options(0x35, 1, 8, 0x35, 1, 1, 0xff));
    }

    @Test
    void namesAServerIdentifierOfTheWrongLength() {
        assertReason("option 54 has length 3, needs 4", options(0x35, 1, 8, 0x36, 3, 1, 2, 3, 0xff));
    }

    @Test
    void acceptsAnOverloadedFieldThatEndsProperly() throws MalformedDhcpException {
        byte[] packet = options(0x35, 1, 8, 0x34, 1, 1, 0xff);
        packet[FILE] = 0x0c;
        packet[FILE + 1] = 3;
        packet[FILE + 2] = 'v';
        packet[FILE + 3] = 'v';
        packet[FILE + 4] = 'x';
        packet[FILE + 5] = (byte) 0xff;

        assertEquals("vvx", DhcpDecoder.decode(packet).options().hostName().orElseThrow());
    }

    /** A request with the golden INFORM's header and the given bytes as its options field. */
    private static byte[] options(int... bytes) {
        byte[] header = GoldenPackets.bytes(GoldenPackets.INFORM);
        byte[] packet = Arrays.copyOf(header, OPTIONS + bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            packet[OPTIONS + i] = (byte) bytes[i];
        }
        return packet;
    }

    private static void assertReason(String reason, byte[] packet) {
        MalformedDhcpException e = assertThrows(MalformedDhcpException.class, () -> DhcpDecoder.decode(packet));
        assertEquals(reason, e.getMessage());
    }
}
