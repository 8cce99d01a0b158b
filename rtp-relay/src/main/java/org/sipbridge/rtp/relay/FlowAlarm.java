package org.sipbridge.rtp.relay;

import java.net.InetSocketAddress;
import org.sipbridge.rtp.quality.DirectionSnapshot;

/**
 * A stream that should carry two-way audio but one direction (or both) carried none: one-way or no audio,
 * which the quality figures alone would hide (an empty direction has no MOS). Raised while it lasts: the
 * status page shows it as a warning, {@code /api/sessions} as the stream's and the session's {@code alarm}.
 *
 * @param problem which direction is silent
 * @param detail  what the relay saw, in plain words (where the silent side's packets came from, if any)
 * @param fix     what to check or change
 */
public record FlowAlarm(Problem problem, String detail, String fix) {

    /** The silent direction(s). */
    public enum Problem {
        /** Nothing from the PBX reached the phone. */
        NOTHING_FROM_PBX,
        /** Nothing from the phone reached the PBX. */
        NOTHING_FROM_PHONE,
        /** Nothing either way. */
        NO_AUDIO
    }

    /**
     * Pure: the alarm for one stream, or {@code null} when there is none.
     *
     * @param twoWayExpected both sides announced a reachable sendrecv stream
     * @param expectedForNanos how long that has been so (since the later side's last SDP)
     * @param alarmAfterNanos  silence allowed after the SDP before it is an alarm
     */
    public static FlowAlarm assess(
            boolean twoWayExpected,
            long expectedForNanos,
            long alarmAfterNanos,
            DirectionSnapshot lanToVpn,
            DirectionSnapshot vpnToLan,
            LegSnapshot lan,
            LegSnapshot vpn) {
        if (!twoWayExpected || expectedForNanos < alarmAfterNanos) {
            return null;
        }
        boolean fromPhone = lanToVpn.packets() > 0;
        boolean fromPbx = vpnToLan.packets() > 0;
        if (fromPhone && fromPbx) {
            return null;
        }
        long seconds = alarmAfterNanos / 1_000_000_000L;
        String after = seconds > 0 ? seconds + " s" : alarmAfterNanos / 1_000_000L + " ms";
        if (!fromPhone && !fromPbx) {
            return new FlowAlarm(
                    Problem.NO_AUDIO,
                    "no audio either way " + after + " after both sides' SDP" + strays("the phone", lanToVpn, lan)
                            + strays("the PBX", vpnToLan, vpn),
                    "Check that the VPN carries UDP between the bridge and the PBX's media server and that no firewall "
                            + "on this computer blocks the ports of media.rtpPortRange");
        }
        if (!fromPbx) {
            return new FlowAlarm(
                    Problem.NOTHING_FROM_PBX,
                    "one-way audio: nothing from the PBX " + after + " after its SDP"
                            + strays("the PBX", vpnToLan, vpn),
                    vpnToLan.strayDropped() > 0
                            ? "The PBX's media comes from another address than its SDP announces: turn on "
                                    + "media.vpnSourceLearning (it learns sources in the VPN subnet and the networks of "
                                    + "bridge.servers) or fix the media address the PBX announces"
                            : "Check the PBX's media server and the VPN's route and firewall toward it");
        }
        return new FlowAlarm(
                Problem.NOTHING_FROM_PHONE,
                "one-way audio: nothing from the phone " + after + " after its SDP"
                        + strays("the phone", lanToVpn, lan),
                "Check the phone's network: its firewall, VLAN, or a NAT between it and the bridge");
    }

    private static String strays(String side, DirectionSnapshot direction, LegSnapshot leg) {
        if (direction.strayDropped() == 0) {
            return "";
        }
        InetSocketAddress from = leg == null ? null : leg.lastStray();
        return "; " + direction.strayDropped() + " packet(s) for " + side + "'s stream came from "
                + (from == null ? "other addresses" : from.getAddress().getHostAddress())
                + " instead of the announced "
                + (leg == null || leg.announcedRtp() == null
                        ? "address"
                        : leg.announcedRtp().getAddress().getHostAddress())
                + " and were dropped";
    }
}
