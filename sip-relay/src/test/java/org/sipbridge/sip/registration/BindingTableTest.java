package org.sipbridge.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.ServerAddress;

/** Which remote addresses hold a live registration (the SIP listeners protect their connections). */
class BindingTableTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
    private final BindingTable table = new BindingTable(clock);

    private void bind(String token, String phoneContact, long secondsLeft) {
        table.put(new Binding(token, "sip:1001@pbx", "1001", phoneContact, "sip:1001@10.8.0.2;sbid=" + token,
                ServerAddress.parse("10.8.0.1:5060"), clock.instant().plusSeconds(secondsLeft)));
    }

    @Test
    void anAddressHoldsALiveBindingWhenAPhoneContactNamesIt() {
        bind("a", "sip:1001@192.168.1.20:5060;transport=tcp", 60);
        bind("b", "sip:1002@192.168.1.21", 0);

        assertTrue(table.hasLiveBindingFrom("192.168.1.20"));
        assertFalse(table.hasLiveBindingFrom("192.168.1.21"), "expired binding");
        assertFalse(table.hasLiveBindingFrom("192.168.1.2"), "a prefix of the address is not the address");
    }

    @Test
    void theHostOfAContactIsFoundWhateverItsShape() {
        assertEquals("192.168.1.20", BindingTable.hostOf("sip:1001@192.168.1.20:5060;transport=tcp"));
        assertEquals("192.168.1.20", BindingTable.hostOf("sips:1001@192.168.1.20;ob"));
        assertEquals("192.168.1.20", BindingTable.hostOf("sip:192.168.1.20:5060"));
        assertEquals("192.168.1.20", BindingTable.hostOf("sip:user:secret@192.168.1.20"));
        assertEquals("fd00::20", BindingTable.hostOf("sip:1001@[fd00::20]:5060"));
    }
}
