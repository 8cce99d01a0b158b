package org.sipbridge.dhcp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decodes the packets scapy built the way real clients build them. */
class DhcpDecoderGoldenTest {

    @Test
    void decodesAPolycomInform() {
        DhcpMessage inform = GoldenPackets.decoded(GoldenPackets.INFORM);

        assertEquals(BootOp.BOOTREQUEST, inform.op());
        assertEquals(1, inform.htype());
        assertEquals(6, inform.hlen());
        assertEquals(0, inform.hops());
        assertEquals(GoldenPackets.XID, inform.xid());
        assertEquals(0, inform.flags());
        assertEquals("198.18.1.10", Ipv4.text(inform.ciaddr()));
        assertEquals(0, inform.yiaddr());
        assertEquals(0, inform.giaddr());
        assertEquals(GoldenPackets.PHONE_MAC, inform.clientHardwareAddress());
        assertEquals("00:04:f2:12:34:56", inform.clientHardwareAddress().toHex(":"));
        assertEquals(Optional.of(DhcpMessageType.INFORM), inform.options().messageType());
        assertEquals(List.of(1, 3, 6, 66, 160), inform.options().parameterRequestList());
        assertEquals(Optional.of("Polycom-VVX450"), inform.options().vendorClassIdentifier());
        assertEquals(List.of(53, 55, 60), codes(inform));
    }

    @Test
    void decodesADiscoverWithTheBroadcastFlag() {
        DhcpMessage discover = GoldenPackets.decoded(GoldenPackets.DISCOVER);

        assertEquals(Optional.of(DhcpMessageType.DISCOVER), discover.options().messageType());
        assertEquals(DhcpMessage.BROADCAST_FLAG, discover.flags());
        assertEquals(0, discover.ciaddr());
        assertEquals(
                Optional.of(Octets.fromHex("01" + "0004f2123456")),
                discover.options().clientIdentifier());
        assertEquals(Optional.of("vvx450"), discover.options().hostName());
        assertEquals(List.of(1, 3, 6, 15, 66, 160), discover.options().parameterRequestList());
    }

    @Test
    void decodesARequestWithServerIdentifierAndRequestedAddress() {
        DhcpMessage request = GoldenPackets.decoded(GoldenPackets.REQUEST);

        assertEquals(Optional.of(DhcpMessageType.REQUEST), request.options().messageType());
        assertEquals(
                "198.18.1.1", Ipv4.text(request.options().serverIdentifier().getAsInt()));
        assertEquals(
                Optional.of(Octets.of(Ipv4.toBytes(GoldenPackets.PHONE_IP))),
                request.options().value(50));
    }

    @Test
    void readsOptionsThatOverloadFileAndThenSname() {
        DhcpMessage inform = GoldenPackets.decoded(GoldenPackets.INFORM_OVERLOAD);

        // Options field first, then file, then sname (RFC 2131 §4.1); option 52 itself is framing.
        assertEquals(List.of(53, 55, 60, 12), codes(inform));
        assertEquals(List.of(1, 3, 6, 66, 160), inform.options().parameterRequestList());
        assertEquals(Optional.of("Polycom-VVX450"), inform.options().vendorClassIdentifier());
        assertEquals(Optional.of("vvx450-lobby"), inform.options().hostName());
        assertTrue(inform.file().isAllZero(), "an overloaded file field is not a file name");
        assertTrue(inform.sname().isAllZero(), "an overloaded sname field is not a server name");
    }

    @Test
    void joinsTheInstancesOfASplitOption() {
        DhcpMessage inform = GoldenPackets.decoded(GoldenPackets.INFORM_SPLIT_OPTION);

        assertEquals(Optional.of("Polycom-VVX450"), inform.options().vendorClassIdentifier());
        // The joined option keeps the place of its first part.
        assertEquals(List.of(53, 60, 55), codes(inform));
    }

    @ParameterizedTest
    @ValueSource(strings = {GoldenPackets.INFORM, GoldenPackets.DISCOVER, GoldenPackets.REQUEST})
    void reEncodesARealPacketByteForByteUpToThePadding(String name) {
        byte[] original = GoldenPackets.bytes(name);

        byte[] encoded = DhcpEncoder.encode(GoldenPackets.decoded(name));

        assertEquals(Math.max(300, original.length), encoded.length);
        assertArrayEquals(original, Arrays.copyOf(encoded, original.length));
        assertTrue(
                Octets.of(Arrays.copyOfRange(encoded, original.length, encoded.length))
                        .isAllZero(),
                "zeros after the end");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                GoldenPackets.INFORM,
                GoldenPackets.DISCOVER,
                GoldenPackets.REQUEST,
                GoldenPackets.INFORM_OVERLOAD,
                GoldenPackets.INFORM_SPLIT_OPTION,
                GoldenPackets.ACK
            })
    void decodesWhatItEncodes(String name) throws MalformedDhcpException {
        DhcpMessage message = GoldenPackets.decoded(name);

        assertEquals(message, DhcpDecoder.decode(DhcpEncoder.encode(message)));
    }

    private static List<Integer> codes(DhcpMessage message) {
        return message.options().list().stream().map(DhcpOption::code).toList();
    }
}
