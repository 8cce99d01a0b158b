package org.sipbridge.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The message model refuses what the wire format cannot carry, so the encoder always writes a valid packet. */
class DhcpModelTest {

    @Test
    void optionCodesExcludeFraming() {
        assertThrows(IllegalArgumentException.class, () -> DhcpOption.of(0));
        assertThrows(IllegalArgumentException.class, () -> DhcpOption.of(255));
        assertThrows(IllegalArgumentException.class, () -> DhcpOption.of(52, (byte) 1));
    }

    @Test
    void fixedLengthOptionsMustHaveTheirLength() {
        assertThrows(IllegalArgumentException.class, () -> DhcpOption.of(53, (byte) 1, (byte) 2));
        assertThrows(IllegalArgumentException.class, () -> DhcpOption.of(54, (byte) 1, (byte) 2, (byte) 3));
    }

    @Test
    void textOptionsRefuseNulAndNonAscii() {
        assertThrows(IllegalArgumentException.class, () -> DhcpOption.text(160, "http://x/\0"));
        assertThrows(IllegalArgumentException.class, () -> DhcpOption.text(12, "téléphone"));
    }

    @Test
    void aCodeAppearsOnce() {
        assertThrows(
                IllegalArgumentException.class,
                () -> DhcpOptions.of(DhcpOption.of(12, (byte) 'a'), DhcpOption.of(12, (byte) 'b')));
    }

    @Test
    void withReplacesInPlaceOrAppends() {
        DhcpOptions options = DhcpOptions.of(DhcpOption.text(12, "a"), DhcpOption.text(60, "b"))
                .with(DhcpOption.text(12, "c"))
                .with(DhcpOption.text(61, "d"));

        assertEquals(
                List.of(DhcpOption.text(12, "c"), DhcpOption.text(60, "b"), DhcpOption.text(61, "d")), options.list());
    }

    @Test
    void typedReadersReadTheirOptions() {
        DhcpOptions options = DhcpOptions.of(
                DhcpOption.messageType(DhcpMessageType.INFORM),
                DhcpOption.address(54, Ipv4.parse("198.18.1.2")),
                DhcpOption.of(55, (byte) 1, (byte) 66, (byte) 160),
                DhcpOption.of(60, "Polycom-VVX450\0".getBytes(StandardCharsets.US_ASCII)));

        assertEquals(Optional.of(DhcpMessageType.INFORM), options.messageType());
        assertEquals(8, options.messageTypeCode().getAsInt());
        assertEquals("198.18.1.2", Ipv4.text(options.serverIdentifier().getAsInt()));
        assertEquals(List.of(1, 66, 160), options.parameterRequestList());
        assertEquals(
                Optional.of("Polycom-VVX450"), options.vendorClassIdentifier(), "a trailing NUL is tolerated on input");
        assertEquals(Optional.empty(), options.hostName());
    }

    @Test
    void anUnknownMessageTypeHasACodeButNoName() {
        DhcpOptions options = DhcpOptions.of(DhcpOption.of(53, (byte) 13));

        assertEquals(13, options.messageTypeCode().getAsInt());
        assertEquals(Optional.empty(), options.messageType());
    }

    @Test
    void fixedFieldsHaveTheirWidths() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new DhcpMessage(
                        BootOp.BOOTREQUEST,
                        1,
                        6,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        Octets.zeros(6),
                        Octets.zeros(64),
                        Octets.zeros(128),
                        DhcpOptions.NONE));
        assertThrows(
                IllegalArgumentException.class,
                () -> new DhcpMessage(
                        BootOp.BOOTREQUEST,
                        1,
                        17,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        Octets.zeros(16),
                        Octets.zeros(64),
                        Octets.zeros(128),
                        DhcpOptions.NONE));
        assertThrows(
                IllegalArgumentException.class,
                () -> new DhcpMessage(
                        BootOp.BOOTREQUEST,
                        1,
                        6,
                        0,
                        0,
                        0x10000,
                        0,
                        0,
                        0,
                        0,
                        0,
                        Octets.zeros(16),
                        Octets.zeros(64),
                        Octets.zeros(128),
                        DhcpOptions.NONE));
    }

    @Test
    void octetsAreValuesThatCannotBeChangedFromOutside() {
        byte[] bytes = {1, 2, 3};
        Octets octets = Octets.of(bytes);
        bytes[0] = 9;
        octets.toByteArray()[1] = 9;

        assertEquals(Octets.fromHex("010203"), octets);
        assertNotEquals(Octets.fromHex("010204"), octets);
        assertTrue(octets.startsWith(Octets.fromHex("0102")));
        assertFalse(octets.startsWith(Octets.fromHex("010203ff")));
        assertEquals("01:02:03", octets.toHex(":"));
    }

    @Test
    void ipv4TextRoundTrips() {
        assertEquals("255.0.127.1", Ipv4.text(Ipv4.parse("255.0.127.1")));
        assertThrows(IllegalArgumentException.class, () -> Ipv4.parse("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4.parse("1.2.3.256"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4.parse("1.2.3.-4"));
    }
}
