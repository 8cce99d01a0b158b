package org.sipbridge.rtp.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

/**
 * Monotonic media totals for {@code /metrics} from the RTP relay's session snapshots. The relay
 * keeps counters per session and forgets ended sessions after a while; this remembers each
 * session's last counts and moves them into a retired total when it disappears, so the totals
 * never go down. (A session that starts and is forgotten between two scrapes is missed: the relay
 * keeps the last 50 ended ones, far more than a phone makes between scrapes.)
 */
final class MediaTotals {

    /** Counts per direction, in the order of {@link Counts#of}: packets, bytes, lost, stray dropped. */
    record Counts(
            long lanToVpnPackets,
            long vpnToLanPackets,
            long lanToVpnBytes,
            long vpnToLanBytes,
            long lanToVpnLost,
            long vpnToLanLost,
            long strayDropped) {

        static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

        static Counts of(SessionSnapshot session) {
            Counts sum = ZERO;
            for (StreamSnapshot stream : session.streams()) {
                DirectionSnapshot out = stream.lanToVpn();
                DirectionSnapshot in = stream.vpnToLan();
                sum = sum.plus(new Counts(
                        out.packets(),
                        in.packets(),
                        out.bytes(),
                        in.bytes(),
                        out.lost(),
                        in.lost(),
                        out.strayDropped() + in.strayDropped()));
            }
            return sum;
        }

        Counts plus(Counts o) {
            return new Counts(
                    lanToVpnPackets + o.lanToVpnPackets,
                    vpnToLanPackets + o.vpnToLanPackets,
                    lanToVpnBytes + o.lanToVpnBytes,
                    vpnToLanBytes + o.vpnToLanBytes,
                    lanToVpnLost + o.lanToVpnLost,
                    vpnToLanLost + o.vpnToLanLost,
                    strayDropped + o.strayDropped);
        }
    }

    private final Map<String, Counts> lastSeen = new HashMap<>();
    private Counts retired = Counts.ZERO;

    /** The totals since start, given every session the relay still knows (active and ended). */
    synchronized Counts update(List<SessionSnapshot> sessions) {
        Map<String, Counts> now = new HashMap<>();
        for (SessionSnapshot session : sessions) {
            now.merge(session.id(), Counts.of(session), Counts::plus);
        }
        for (Map.Entry<String, Counts> gone : lastSeen.entrySet()) {
            if (!now.containsKey(gone.getKey())) {
                retired = retired.plus(gone.getValue());
            }
        }
        lastSeen.clear();
        lastSeen.putAll(now);
        Counts total = retired;
        for (Counts counts : now.values()) {
            total = total.plus(counts);
        }
        return total;
    }
}
