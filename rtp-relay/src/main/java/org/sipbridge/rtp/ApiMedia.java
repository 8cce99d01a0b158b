package org.sipbridge.rtp;

import java.util.Comparator;
import org.sipbridge.contract.api.CallMedia;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.FlowAlarm;
import org.sipbridge.rtp.relay.LegSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;

/**
 * The relay's snapshots as the API's {@link CallMedia}: the one place that decides what of the relay's
 * internals the web UI sees. Pure.
 */
public final class ApiMedia {

    private ApiMedia() {}

    /** {@code session} for {@code /api/sessions}; null for null. */
    public static CallMedia of(SessionSnapshot session) {
        if (session == null) {
            return null;
        }
        return new CallMedia(
                session.callId(),
                session.started(),
                session.ended(),
                session.endReason() == null ? null : session.endReason().name(),
                session.streams().stream().map(ApiMedia::stream).toList(),
                alarm(session.alarm()));
    }

    private static CallMedia.Stream stream(StreamSnapshot s) {
        return new CallMedia.Stream(
                s.index(),
                s.media(),
                leg(s.lan()),
                leg(s.vpn()),
                direction(s.lanToVpn()),
                direction(s.vpnToLan()),
                s.roundTripMs(),
                s.socketErrors(),
                alarm(s.alarm()));
    }

    private static CallMedia.Leg leg(LegSnapshot l) {
        return l == null
                ? null
                : new CallMedia.Leg(
                        l.bridgeRtp(),
                        l.announcedRtp(),
                        l.latchedRtp(),
                        l.announcedRtcp(),
                        l.latchedRtcp(),
                        l.learned(),
                        l.lastStray());
    }

    private static CallMedia.Direction direction(DirectionSnapshot d) {
        return d == null
                ? null
                : new CallMedia.Direction(
                        d.packets(),
                        d.bytes(),
                        d.expected(),
                        d.lost(),
                        d.lossPercent(),
                        d.late(),
                        d.duplicates(),
                        d.jitterMs(),
                        d.rtcpPackets(),
                        d.malformed(),
                        d.strayDropped(),
                        d.undeliverable(),
                        d.legRttMs(),
                        quality(d.quality()));
    }

    private static CallMedia.Quality quality(CallQuality q) {
        // Sorted: the relay keeps an unordered set, the API lists the warnings in a stable order.
        return q == null
                ? null
                : new CallMedia.Quality(
                        q.codec(),
                        q.roundTripKnown(),
                        q.oneWayDelayMs(),
                        q.rFactor(),
                        q.mos(),
                        q.warnings().stream()
                                .sorted(Comparator.naturalOrder())
                                .map(Enum::name)
                                .toList());
    }

    private static CallMedia.Alarm alarm(FlowAlarm a) {
        return a == null ? null : new CallMedia.Alarm(a.problem().name(), a.detail(), a.fix());
    }
}
