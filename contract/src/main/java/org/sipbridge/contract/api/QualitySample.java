package org.sipbridge.contract.api;

import java.time.Instant;

/** One sample of a call's quality history: both directions of its first audio stream at {@code at}. */
public record QualitySample(Instant at, Point lanToVpn, Point vpnToLan) {

    /**
     * One direction at one instant; {@code rttMs} is null until RTCP measured it, {@code mos} while the
     * direction carried no audio.
     */
    public record Point(long packets, double lossPercent, double jitterMs, Double rttMs, Double mos) {}
}
