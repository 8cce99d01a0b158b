package org.sipbridge.rtp;

import java.net.Inet4Address;
import org.sipbridge.rtp.relay.DscpMarks;
import org.sipbridge.rtp.relay.PacketTap;
import org.sipbridge.rtp.relay.PairBinder;
import org.sipbridge.rtp.sdp.MediaDestinations;
import org.sipbridge.rtp.sdp.SourceLearning;

/**
 * What a session takes from the service when it starts; fixed for the session's life (settings changes
 * apply to the next call).
 *
 * @param tap              {@code null} for none
 * @param limits           the per-call limits from {@code media.*} at the call's start
 * @param destinations     where the SDP may point media (LAN subnet, no loopback…)
 * @param vpnLearning      learning mode for the PBX's legs ({@code media.vpnSourceLearning}), {@code null}: strict
 * @param alarmAfterNanos  how long a direction may stay silent after the SDP before the one-way audio alarm
 */
record SessionContext(
        PairBinder binder,
        Inet4Address lan,
        Inet4Address vpn,
        DscpMarks marks,
        PacketTap tap,
        SessionLimits limits,
        MediaDestinations destinations,
        SourceLearning vpnLearning,
        long alarmAfterNanos,
        SessionListener listener) {

    /** How a session tells the service it ended. */
    interface SessionListener {
        void ended(RelaySession session, SessionSnapshot last);
    }
}
