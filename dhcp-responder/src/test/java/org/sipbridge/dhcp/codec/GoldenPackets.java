package org.sipbridge.dhcp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** The scapy-made packets under {@code src/test/resources/golden} (see make_golden.py there). */
public final class GoldenPackets {

    public static final String INFORM = "inform-polycom.hex";
    public static final String DISCOVER = "discover-polycom.hex";
    public static final String REQUEST = "request-polycom.hex";
    public static final String INFORM_OVERLOAD = "inform-overload.hex";
    public static final String INFORM_SPLIT_OPTION = "inform-split-option.hex";
    public static final String ACK = "ack-polycom.hex";

    /** All request packets, for tests that run over every one. */
    public static final List<String> REQUESTS =
            List.of(INFORM, DISCOVER, REQUEST, INFORM_OVERLOAD, INFORM_SPLIT_OPTION);

    /** The phone in the golden packets: a Polycom OUI. */
    public static final Octets PHONE_MAC = Octets.fromHex("0004f2123456");

    public static final int PHONE_IP = Ipv4.parse("198.18.1.10");
    public static final int XID = 0x5a5a1234;

    private GoldenPackets() {}

    public static byte[] bytes(String name) {
        try (InputStream in = GoldenPackets.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden packet " + name);
            }
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .filter(line -> !line.startsWith("#"))
                    .map(String::strip)
                    .collect(Collectors.joining());
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DhcpMessage decoded(String name) {
        try {
            return DhcpDecoder.decode(bytes(name));
        } catch (MalformedDhcpException e) {
            throw new AssertionError(name + " does not decode: " + e.getMessage(), e);
        }
    }

    /** Where the end option of the options field sits: a prefix shorter than this lacks it. */
    public static int endOptionOffset(byte[] packet) {
        int at = BootpLayout.OPTIONS;
        while ((packet[at] & 0xff) != DhcpOptionCodes.END) {
            at = (packet[at] & 0xff) == DhcpOptionCodes.PAD ? at + 1 : at + 2 + (packet[at + 1] & 0xff);
        }
        return at;
    }
}
