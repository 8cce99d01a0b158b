package org.sipbridge.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DhcpEncoderTest {

    private static final int OPTIONS = 240;

    @Test
    void padsShortMessagesToTheBootpMinimumOf300Bytes() {
        byte[] packet = DhcpEncoder.encode(TestMessages.request(DhcpOptions.NONE));

        assertEquals(300, packet.length);
        assertEquals(0xff, packet[OPTIONS] & 0xff, "the end option comes right after the cookie");
        assertTrue(Octets.of(Arrays.copyOfRange(packet, OPTIONS + 1, 300)).isAllZero(), "padded with zeros");
    }

    @Test
    void writesTheMagicCookie() {
        byte[] packet = DhcpEncoder.encode(TestMessages.request(DhcpOptions.NONE));

        assertEquals("63825363", HexFormat.of().formatHex(packet, 236, 240));
    }

    @Test
    void writesOptionsInTheMessagesOrderAndEndsThem() {
        DhcpOptions options = DhcpOptions.of(
                DhcpOption.text(DhcpOptionCodes.VENDOR_CLASS_IDENTIFIER, "ab"),
                DhcpOption.messageType(DhcpMessageType.INFORM),
                DhcpOption.of(7));

        byte[] packet = DhcpEncoder.encode(TestMessages.request(options));

        assertEquals("3c026162" + "350108" + "0700" + "ff", HexFormat.of().formatHex(packet, OPTIONS, OPTIONS + 10));
    }

    @Test
    void splitsAValueLongerThan255BytesIntoConsecutiveParts() throws MalformedDhcpException {
        byte[] value = new byte[600];
        Arrays.fill(value, (byte) 'x');
        DhcpMessage message = TestMessages.request(DhcpOptions.of(DhcpOption.of(43, value)));

        byte[] packet = DhcpEncoder.encode(message);

        assertEquals(43, packet[OPTIONS] & 0xff);
        assertEquals(255, packet[OPTIONS + 1] & 0xff);
        assertEquals(43, packet[OPTIONS + 257] & 0xff);
        assertEquals(255, packet[OPTIONS + 258] & 0xff);
        assertEquals(43, packet[OPTIONS + 514] & 0xff);
        assertEquals(90, packet[OPTIONS + 515] & 0xff);
        assertEquals(0xff, packet[OPTIONS + 606] & 0xff);
        assertEquals(OPTIONS + 607, packet.length, "no padding once past 300 bytes");
        assertEquals(message, DhcpDecoder.decode(packet));
    }

    @Test
    void writesTextWithoutATrailingNul() {
        DhcpOption url = DhcpOption.text(160, "http://198.18.1.2:8088/");
        byte[] packet = DhcpEncoder.encode(TestMessages.request(DhcpOptions.of(url)));

        assertEquals(23, packet[OPTIONS + 1]);
        assertEquals('/', packet[OPTIONS + 2 + 22]);
        assertEquals(0xff, packet[OPTIONS + 2 + 23] & 0xff);
    }

    @Test
    void copiesTheFixedFieldsVerbatim() {
        byte[] sname = new byte[64];
        sname[0] = 's';
        byte[] file = new byte[128];
        file[127] = 'f';
        DhcpMessage message = new DhcpMessage(
                BootOp.BOOTREPLY,
                1,
                6,
                3,
                0x01020304,
                0xfffe,
                0x8000,
                Ipv4.parse("10.0.0.1"),
                Ipv4.parse("10.0.0.2"),
                Ipv4.parse("10.0.0.3"),
                Ipv4.parse("10.0.0.4"),
                Octets.fromHex("0004f2123456" + "00000000000000000000"),
                Octets.of(sname),
                Octets.of(file),
                DhcpOptions.NONE);

        byte[] packet = DhcpEncoder.encode(message);

        assertEquals(
                "02010603" + "01020304" + "fffe" + "8000" + "0a000001" + "0a000002" + "0a000003" + "0a000004"
                        + "0004f2123456",
                HexFormat.of().formatHex(packet, 0, 34));
        assertArrayEquals(sname, Arrays.copyOfRange(packet, 44, 108));
        assertArrayEquals(file, Arrays.copyOfRange(packet, 108, 236));
    }

    @Test
    void refusesAMessageLargerThanAUdpDatagram() {
        DhcpOptions huge = DhcpOptions.of(DhcpOption.of(43, new byte[65_000]), DhcpOption.of(44, new byte[1_000]));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DhcpEncoder.encode(TestMessages.request(huge)));
        assertTrue(e.getMessage().contains("more than a UDP datagram holds"), e.getMessage());
    }
}
