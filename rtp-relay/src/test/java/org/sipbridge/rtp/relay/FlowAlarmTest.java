package org.sipbridge.rtp.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.sipbridge.rtp.quality.DirectionSnapshot;

/** One-way and no-audio detection (issue #15): what was an empty direction with a perfect MOS is now an alarm. */
class FlowAlarmTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long AFTER = 5 * SECOND;
    private static final LegSnapshot PHONE = leg("198.18.1.10", null);
    private static final LegSnapshot PBX = leg("198.19.2.10", new InetSocketAddress("198.19.2.11", 40000));

    private static LegSnapshot leg(String announced, InetSocketAddress stray) {
        InetSocketAddress rtp = new InetSocketAddress(announced, 4000);
        return new LegSnapshot(new InetSocketAddress("198.19.2.1", 20000), rtp, null, rtp, null, false, stray);
    }

    private static DirectionSnapshot direction(long packets, long stray) {
        return new DirectionSnapshot(packets, packets * 172, packets, 0, 0, 0, 0, 0, 0, 0, stray, 0, null, null);
    }

    private static FlowAlarm assess(boolean expected, long forNanos, DirectionSnapshot up, DirectionSnapshot down) {
        return FlowAlarm.assess(expected, forNanos, AFTER, up, down, PHONE, PBX);
    }

    @Test
    void audioBothWaysIsNoAlarm() {
        assertNull(assess(true, 60 * SECOND, direction(250, 0), direction(250, 3)));
    }

    @Test
    void silenceIsNoAlarmBeforeTheWaitOrWhenTwoWayAudioIsNotExpected() {
        assertNull(assess(true, AFTER - 1, direction(250, 0), direction(0, 0)), "just answered");
        assertNull(assess(false, 60 * SECOND, direction(250, 0), direction(0, 0)), "held, ringing or one-way by SDP");
    }

    @Test
    void nothingFromThePbxWhileItsPacketsCameFromAnotherAddressSaysWhereFrom() {
        FlowAlarm alarm = assess(true, AFTER, direction(250, 240), direction(0, 240));
        assertEquals(FlowAlarm.Problem.NOTHING_FROM_PBX, alarm.problem());
        assertTrue(
                alarm.detail()
                        .contains("240 packet(s) for the PBX's stream came from 198.19.2.11 instead of the "
                                + "announced 198.19.2.10"),
                alarm.detail());
        assertTrue(alarm.fix().contains("media.vpnSourceLearning"), alarm.fix());
    }

    @Test
    void nothingFromThePbxAtAll() {
        FlowAlarm alarm = assess(true, AFTER, direction(250, 0), direction(0, 0));
        assertEquals(FlowAlarm.Problem.NOTHING_FROM_PBX, alarm.problem());
        assertEquals("one-way audio: nothing from the PBX 5 s after its SDP", alarm.detail());
    }

    @Test
    void nothingFromThePhoneAndNothingEitherWay() {
        assertEquals(
                FlowAlarm.Problem.NOTHING_FROM_PHONE,
                assess(true, AFTER, direction(0, 0), direction(250, 0)).problem());
        assertEquals(
                FlowAlarm.Problem.NO_AUDIO,
                assess(true, AFTER, direction(0, 0), direction(0, 0)).problem());
    }
}
