package org.sipbridge.contract.api;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A call's media as {@code /api/sessions} shows it.
 *
 * @param ended     {@code null} while the media is relayed
 * @param endReason {@code null} while active, else {@code RELEASED}, {@code INACTIVITY}, {@code HOLD_TIMEOUT}
 *                  or {@code SHUTDOWN} (the RTP relay's {@code EndReason}; a name here so the contract does
 *                  not copy the relay's enum)
 * @param streams   one per relayed m-line, in m-line order
 * @param alarm     one-way or no audio, {@code null} if none
 */
public record CallMedia(
        String callId, Instant started, Instant ended, String endReason, List<Stream> streams, Alarm alarm) {

    public CallMedia {
        streams = List.copyOf(streams);
    }

    /** The first audio stream (what a desk phone call is about), if there is one. */
    public Optional<Stream> audio() {
        return streams.stream().filter(s -> "audio".equals(s.media())).findFirst();
    }

    /**
     * One relayed m-line.
     *
     * @param media       {@code audio}, {@code video}…, {@code null} before any SDP
     * @param roundTripMs bridge↔phone plus bridge↔PBX round trip from RTCP, {@code null} when neither was measured
     */
    public record Stream(
            int index,
            String media,
            Leg lan,
            Leg vpn,
            Direction lanToVpn,
            Direction vpnToLan,
            Double roundTripMs,
            long socketErrors,
            Alarm alarm) {}

    /**
     * One side of a stream. Addresses are {@link InetSocketAddress} because that is how the API has
     * always written them ({@code "198.18.1.2:16384"}); {@code null} where not known yet.
     */
    public record Leg(
            InetSocketAddress bridgeRtp,
            InetSocketAddress announcedRtp,
            InetSocketAddress latchedRtp,
            InetSocketAddress announcedRtcp,
            InetSocketAddress latchedRtcp,
            boolean learned,
            InetSocketAddress lastStray) {}

    /**
     * Counters and quality of one direction of one stream.
     *
     * @param legRttMs round trip of the leg this direction's reports measure, {@code null} before RTCP
     * @param quality  the E-model verdict, {@code null} while no audio packet was measured
     */
    public record Direction(
            long packets,
            long bytes,
            long expected,
            long lost,
            double lossPercent,
            long late,
            long duplicates,
            double jitterMs,
            long rtcpPackets,
            long malformed,
            long strayDropped,
            long undeliverable,
            Double legRttMs,
            Quality quality) {}

    /**
     * The E-model (ITU-T G.107) verdict for one direction.
     *
     * @param warnings {@code LOSS}, {@code JITTER}, {@code LATENCY}: the limits PBX vendors publish, exceeded
     */
    public record Quality(
            String codec,
            boolean roundTripKnown,
            double oneWayDelayMs,
            double rFactor,
            double mos,
            List<String> warnings) {

        public Quality {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One-way or no audio while two-way audio is expected.
     *
     * @param problem {@code NOTHING_FROM_PBX}, {@code NOTHING_FROM_PHONE} or {@code NO_AUDIO}
     * @param detail  what the relay saw, in plain words
     * @param fix     what to check or change
     */
    public record Alarm(String problem, String detail, String fix) {}
}
