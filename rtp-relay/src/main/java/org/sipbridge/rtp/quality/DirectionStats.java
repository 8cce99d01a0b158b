package org.sipbridge.rtp.quality;

import io.netty.buffer.ByteBuf;

/**
 * Live counters and quality state of one direction of one stream. Every field is owned by the event loop
 * thread of the stream's channels: the packet path updates them in place (plain fields, no atomics, no
 * allocation) and snapshots are taken by a task on that same loop.
 */
public final class DirectionStats {

    private final Direction direction;
    private final SequenceTracker sequence = new SequenceTracker();
    private final JitterEstimator jitter = new JitterEstimator();

    private long packets;
    private long bytes;
    private long rtcpPackets;
    private long malformed;
    private long strayDropped;
    private long undeliverable;

    private boolean haveSource;
    private int ssrc;
    private int clockRate;
    private long clockOriginNanos;
    private int lastAudioPayloadType = -1;

    public DirectionStats(Direction direction) {
        this.direction = direction;
    }

    public Direction direction() {
        return direction;
    }

    /** An RTP packet (readable bytes of {@code packet}) that arrived at {@code nowNanos} ({@link System#nanoTime()}). */
    public void onRtp(ByteBuf packet, long nowNanos, PayloadFormats formats) {
        int offset = packet.readerIndex();
        int length = packet.readableBytes();
        packets++;
        bytes += length;
        if (length < RtpHeader.RTP_MIN_LENGTH || !RtpHeader.isVersion2(packet, offset)) {
            malformed++;
            return;
        }
        int source = RtpHeader.ssrc(packet, offset);
        if (!haveSource || source != ssrc) {
            haveSource = true;
            ssrc = source;
            sequence.restart();
            jitter.reset();
        }
        SequenceTracker.Outcome outcome = sequence.update(RtpHeader.sequence(packet, offset));
        int payloadType = RtpHeader.payloadType(packet, offset);
        if ((outcome == SequenceTracker.Outcome.IN_ORDER || outcome == SequenceTracker.Outcome.LATE)
                && !formats.isEvent(payloadType)) {
            int rate = formats.clockRate(payloadType);
            if (rate != clockRate) {
                clockRate = rate;
                clockOriginNanos = nowNanos;
                jitter.reset();
            }
            long arrival = (nowNanos - clockOriginNanos) * rate / 1_000_000_000L;
            jitter.update(arrival, RtpHeader.timestamp(packet, offset));
            lastAudioPayloadType = payloadType;
        }
    }

    /**
     * An RTCP packet. Round trips are read from it unless the stream is encrypted: SRTCP leaves only the
     * first 8 bytes in the clear, so sender info and report blocks would be ciphertext.
     */
    public void onRtcp(ByteBuf packet, long nowNanos, boolean encrypted, RoundTripMeter meter) {
        int offset = packet.readerIndex();
        int length = packet.readableBytes();
        rtcpPackets++;
        if (length < RtpHeader.RTCP_MIN_LENGTH || !RtpHeader.isVersion2(packet, offset)) {
            malformed++;
            return;
        }
        if (!encrypted && !RtcpReader.read(packet, offset, length, direction, nowNanos, meter)) {
            malformed++;
        }
    }

    public void strayDropped() {
        strayDropped++;
    }

    public void undeliverable() {
        undeliverable++;
    }

    /** Packets relayed so far, RTP and RTCP: what the inactivity watch compares. */
    public long activity() {
        return packets + rtcpPackets;
    }

    /**
     * @param legRttNanos  the round trip this direction's reports measured, -1 if none
     * @param roundTripMs  end-to-end round trip for the E-model, NaN if unknown
     */
    public DirectionSnapshot snapshot(PayloadFormats formats, long legRttNanos, double roundTripMs) {
        long expected = sequence.expected();
        long lost = sequence.lost();
        double lossPercent = expected > 0 ? 100.0 * lost / expected : 0;
        double jitterMs = clockRate > 0 ? jitter.jitter() * 1000.0 / clockRate : 0;
        // no audio packet measured: no quality to speak of (an empty direction used to show MOS 4.40, codec "unknown")
        CallQuality quality = lastAudioPayloadType < 0
                ? null
                : CallQuality.assess(formats.codec(lastAudioPayloadType), lossPercent, jitterMs, roundTripMs);
        return new DirectionSnapshot(
                packets,
                bytes,
                expected,
                lost,
                lossPercent,
                sequence.late(),
                sequence.duplicates(),
                jitterMs,
                rtcpPackets,
                malformed,
                strayDropped,
                undeliverable,
                legRttNanos >= 0 ? legRttNanos / 1e6 : null,
                quality);
    }
}
