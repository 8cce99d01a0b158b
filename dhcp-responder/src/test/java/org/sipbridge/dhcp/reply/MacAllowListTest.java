package org.sipbridge.dhcp.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipbridge.dhcp.codec.Octets;

class MacAllowListTest {

    @Test
    void anEmptyListAllowsEveryone() {
        assertSame(MacAllowList.ANY, MacAllowList.parse(List.of()));
        assertTrue(MacAllowList.ANY.allows(Octets.fromHex("3c22fb010203")));
        assertTrue(MacAllowList.ANY.allows(Octets.fromHex("01")), "even an odd hardware type");
    }

    @Test
    void anOuiMatchesEveryMacOfThatVendor() {
        MacAllowList polycom = MacAllowList.parse(List.of("00:04:f2", "48:25:67"));

        assertTrue(polycom.allows(Octets.fromHex("0004f2123456")));
        assertTrue(polycom.allows(Octets.fromHex("482567000001")));
        assertFalse(polycom.allows(Octets.fromHex("0004f3123456")));
        assertFalse(polycom.allows(Octets.fromHex("0004f2")), "a 3-byte hardware address is no MAC");
        assertEquals("00:04:f2, 48:25:67", polycom.toString());
    }

    @Test
    void aWholeMacMatchesOnlyItself() {
        MacAllowList one = MacAllowList.parse(List.of("00-04-F2-12-34-56"));

        assertTrue(one.allows(Octets.fromHex("0004f2123456")));
        assertFalse(one.allows(Octets.fromHex("0004f2123457")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00:04", "00:04:f2:12", "0004f2", "00:04:g2", "00:04:f2:12:34:56:78", "0:04:f2"})
    void refusesEntriesThatAreNeitherOuiNorMac(String entry) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MacAllowList.parse(List.of(entry)));
        assertTrue(e.getMessage().contains(entry), e.getMessage());
    }
}
