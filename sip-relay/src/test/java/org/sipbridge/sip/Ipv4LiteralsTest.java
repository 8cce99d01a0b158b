package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.Ipv4Subnet;

class Ipv4LiteralsTest {

    private static final Ipv4Subnet LAN = Ipv4Subnet.parse("192.168.1.0/24");

    @Test
    void parsesDottedQuads() {
        assertEquals(0xC0A80114L, Ipv4Literals.parse("192.168.1.20"));
        assertEquals(0L, Ipv4Literals.parse("0.0.0.0"));
        assertEquals(0xFFFFFFFFL, Ipv4Literals.parse("255.255.255.255"));
        assertEquals(0x0A000001L, Ipv4Literals.parse("010.0.0.1"));
    }

    @Test
    void anythingElseIsNone() {
        for (String text : List.of(
                "",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.256",
                "1.2.3.0001",
                "1..3.4",
                ".1.2.3",
                "1.2.3.4.",
                "1.2.3.-4",
                "a.b.c.d",
                "1.2.3.4 ",
                "fe80::1",
                "host.example")) {
            assertEquals(Ipv4Literals.NONE, Ipv4Literals.parse(text), text);
        }
    }

    @Test
    void isInTellsTheSubnet() {
        assertTrue(Ipv4Literals.isIn("192.168.1.20", LAN));
        assertFalse(Ipv4Literals.isIn("192.168.2.20", LAN));
        assertFalse(Ipv4Literals.isIn("phone.lan", LAN));
        assertFalse(Ipv4Literals.isIn("", LAN));
    }

    @Test
    void findsLanAddressesInHeaderText() {
        assertTrue(Ipv4Literals.namesAddressIn("Call-Info: <http://192.168.1.20/photo.jpg>;purpose=icon", LAN));
        assertTrue(Ipv4Literals.namesAddressIn("P-Preferred-Identity: <sip:1001@192.168.1.9:5060>", LAN));
        assertFalse(Ipv4Literals.namesAddressIn("Call-Info: <http://198.19.2.1/photo.jpg>", LAN));
        assertFalse(Ipv4Literals.namesAddressIn("X-Version: 1192.168.1.20", LAN));
        assertFalse(Ipv4Literals.namesAddressIn("X-Version: 192.168.1.20.7", LAN));
        assertFalse(Ipv4Literals.namesAddressIn("User-Agent: SIPp", LAN));
    }

    /** The regular expression the relay used before, kept as the reference for what counts as a literal. */
    private static final Pattern REFERENCE =
            Pattern.compile("(?<![\\d.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");

    private static boolean referenceNamesAddressIn(String text, Ipv4Subnet subnet) {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            int address = 0;
            boolean valid = true;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(m.group(i));
                valid &= octet <= 255;
                address = address << 8 | (octet & 0xff);
            }
            if (valid && subnet.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void agreesWithTheRegularExpressionItReplaces() {
        Random random = new Random(19);
        List<String> pieces = List.of(
                "192.168.1.20", "10.0.0.1", "1.2.3", "256.1.1.1", "192", "1", "0", "1000", ".", ":", " ", "<", "a");
        Ipv4Subnet wide = Ipv4Subnet.parse("0.0.0.0/0");
        int found = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                text.append(pieces.get(random.nextInt(pieces.size())));
            }
            String s = text.toString();
            boolean expected = referenceNamesAddressIn(s, wide);
            found += expected ? 1 : 0;
            assertEquals(expected, Ipv4Literals.namesAddressIn(s, wide), s);
            assertEquals(referenceNamesAddressIn(s, LAN), Ipv4Literals.namesAddressIn(s, LAN), s);
        }
        assertTrue(found > 100, "the generated texts held too few literals to compare: " + found);
    }
}
