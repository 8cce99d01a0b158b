package org.sipbridge.rtp.quality;

/** The limits PBX vendors publish for voice over a network (see shared/reference). */
public enum QualityWarning {
    LOSS("packet loss of 1 % or more"),
    JITTER("jitter of 30 ms or more"),
    LATENCY("one-way network delay (RTT/2) of 150 ms or more");

    static final double LOSS_PERCENT = 1.0;
    static final double JITTER_MS = 30.0;
    static final double ONE_WAY_MS = 150.0;

    private final String text;

    QualityWarning(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
