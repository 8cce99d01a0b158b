package org.sipbridge.dhcp.reply;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipbridge.contract.network.Ipv4Subnet;

class ResponderSettingsTest {

    private static final Ipv4Subnet LAN = Ipv4Subnet.parse("198.18.1.2/24");

    @Test
    void acceptsAUrlOf255Bytes() {
        String url = "http://198.18.1.2:8088/" + "a".repeat(255 - 23);

        assertEquals(255, url.length());
        assertDoesNotThrow(() -> new ResponderSettings(LAN, 160, url, MacAllowList.ANY));
    }

    @Test
    void refusesAUrlLongerThanOneOption() {
        String url = "http://198.18.1.2:8088/" + "a".repeat(256 - 23);

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ResponderSettings(LAN, 160, url, MacAllowList.ANY));
        assertEquals("the provisioning URL is 256 bytes; a DHCP option holds at most 255", e.getMessage());
    }

    @Test
    void refusesAUrlWithNulOrNonAscii() {
        assertThrows(
                IllegalArgumentException.class, () -> new ResponderSettings(LAN, 160, "http://x/\0", MacAllowList.ANY));
        assertThrows(
                IllegalArgumentException.class, () -> new ResponderSettings(LAN, 160, "http://ü/", MacAllowList.ANY));
        assertThrows(IllegalArgumentException.class, () -> new ResponderSettings(LAN, 160, "", MacAllowList.ANY));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 51, 52, 53, 54, 255, 256, -1})
    void refusesOptionCodesTheAckCannotCarry(int code) {
        assertThrows(
                IllegalArgumentException.class, () -> new ResponderSettings(LAN, code, "http://x/", MacAllowList.ANY));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 66, 150, 160, 254})
    void acceptsOtherOptionCodes(int code) {
        assertDoesNotThrow(() -> new ResponderSettings(LAN, code, "http://x/", MacAllowList.ANY));
    }
}
