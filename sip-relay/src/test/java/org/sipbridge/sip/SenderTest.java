package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sipbridge.config.UdpSettings;

class SenderTest {

    @Test
    void deadlineFollowsTheRetransmissionSchedule() {
        UdpSettings defaults = UdpSettings.defaults();
        // non-INVITE, 4 sends at 0, 0.5, 1.5, 2.5 s (T2 caps at 1 s); the last waits 1 s more.
        assertEquals(3500, Sender.deadlineMs(defaults, false));
        // INVITE, 3 sends at 0, 0.5, 1.5 s, no T2 cap; the last waits 2 s more.
        assertEquals(3500, Sender.deadlineMs(defaults, true));
        assertEquals(100 + 200 + 400, Sender.deadlineMs(new UdpSettings(true, 8060, 100, 4000, 3, 3), false));
    }
}
