package org.sipbridge.rtp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

class MediaTotalsTest {

    private static SessionSnapshot session(String callId, long out, long in) {
        DirectionSnapshot lanToVpn = new DirectionSnapshot(out, out * 172, out, 1, 0, 0, 0, 0, 0, 0, 2, 0, null, null);
        DirectionSnapshot vpnToLan = new DirectionSnapshot(in, in * 172, in, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
        return new SessionSnapshot(
                "m-" + callId,
                callId,
                Instant.EPOCH,
                null,
                null,
                List.of(new StreamSnapshot(0, "audio", null, null, lanToVpn, vpnToLan, null, 0, null)));
    }

    @Test
    void totalsNeverGoDownWhenTheRelayForgetsEndedCalls() {
        MediaTotals totals = new MediaTotals();
        assertEquals(100, totals.update(List.of(session("a", 100, 90))).lanToVpnPackets());
        MediaTotals.Counts both = totals.update(List.of(session("a", 150, 140), session("b", 10, 5)));
        assertEquals(160, both.lanToVpnPackets());
        assertEquals(145, both.vpnToLanPackets());
        // The relay forgot call a: its last counts stay in the total.
        MediaTotals.Counts later = totals.update(List.of(session("b", 20, 15)));
        assertEquals(170, later.lanToVpnPackets());
        assertEquals(155, later.vpnToLanPackets());
        assertEquals(170 * 172, later.lanToVpnBytes());
        assertEquals(2, later.lanToVpnLost());
        assertEquals(4, later.strayDropped());
        assertEquals(170, totals.update(List.of()).lanToVpnPackets());
    }
}
