package org.sipbridge.rtp.quality;

/**
 * Counters and quality of one direction of one stream at one instant. Immutable.
 *
 * @param packets       RTP packets relayed (malformed ones included: they are forwarded opaque)
 * @param bytes         their UDP payload bytes
 * @param expected      RFC 3550 A.3 expected packets (after source validation)
 * @param lost          expected − received, duplicates excluded, never negative
 * @param late          packets that arrived after a higher sequence number (reordered)
 * @param duplicates    packets whose sequence number had already arrived
 * @param jitterMs      RFC 3550 A.8 interarrival jitter
 * @param rtcpPackets   RTCP packets relayed (on the RTCP port or multiplexed on the RTP port)
 * @param malformed     RTP/RTCP too short, not version 2, or a broken compound RTCP; still forwarded
 * @param strayDropped  packets from an address the SDP did not announce, or while on hold; not forwarded
 * @param undeliverable packets with nowhere to go (other side not negotiated or on hold, socket full)
 * @param legRttMs      round trip of the leg this direction's reports measure (LAN→VPN: bridge↔phone,
 *                      VPN→LAN: bridge↔PBX), or {@code null} before RTCP measured it
 * @param quality       the E-model verdict, {@code null} while no audio packet was measured (an empty
 *                      direction has no MOS)
 */
public record DirectionSnapshot(
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
        CallQuality quality) {}
