package org.sipbridge.rtp.quality;

import java.util.Locale;

/**
 * Codec impairment factors for the E-model: equipment impairment Ie and packet-loss robustness Bpl.
 * G.711 and G.729 come from ITU-T G.113 Appendix I (G.711 with packet loss concealment: Ie 0, Bpl 25.1;
 * G.729A: Ie 11, Bpl 19.0). G.113 rates G.722 and Opus only on the wideband scale of G.107.1, which this
 * simplified narrowband model does not use; they are rated like G.711 with concealment (both conceal
 * loss at least as well), so their MOS is a conservative narrowband figure.
 */
public enum Codec {
    G711("G.711", 0, 25.1),
    G722("G.722", 0, 25.1),
    G729("G.729", 11, 19.0),
    OPUS("Opus", 0, 25.1),
    /** Anything else (or nothing received yet): assume G.711, the codec every SIP phone offers. */
    OTHER("unknown", 0, 25.1);

    private final String label;
    private final double ie;
    private final double bpl;

    Codec(String label, double ie, double bpl) {
        this.label = label;
        this.ie = ie;
        this.bpl = bpl;
    }

    public String label() {
        return label;
    }

    public double equipmentImpairment() {
        return ie;
    }

    public double lossRobustness() {
        return bpl;
    }

    /** By the SDP encoding name (case-insensitive, RFC 4566). */
    public static Codec ofEncoding(String encoding) {
        return switch (encoding.toUpperCase(Locale.ROOT)) {
            case "PCMU", "PCMA" -> G711;
            case "G722" -> G722;
            case "G729", "G729A", "G729B", "G729AB" -> G729;
            case "OPUS" -> OPUS;
            default -> OTHER;
        };
    }
}
