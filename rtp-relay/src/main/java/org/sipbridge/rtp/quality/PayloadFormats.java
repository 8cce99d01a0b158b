package org.sipbridge.rtp.quality;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the relay needs to know per RTP payload type: the clock rate (for jitter), the codec (for the
 * E-model), and whether it is an RFC 4733 event (its packets repeat one timestamp, so they are left out
 * of the jitter). Static types from RFC 3551 table 4/5, dynamic ones from {@code a=rtpmap}. Immutable;
 * lookups are array reads, fit for the packet path.
 */
public final class PayloadFormats {

    /** RFC 3551 audio clock rate, and the one the brief tells us to assume when nothing else is known. */
    public static final int DEFAULT_CLOCK_RATE = 8000;

    private static final PayloadFormats STATIC = new Builder().staticTypes().build();

    private final int[] clockRates;
    private final Codec[] codecs;
    private final boolean[] events;

    private PayloadFormats(int[] clockRates, Codec[] codecs, boolean[] events) {
        this.clockRates = clockRates;
        this.codecs = codecs;
        this.events = events;
    }

    /** Only the static payload types of RFC 3551. */
    public static PayloadFormats staticOnly() {
        return STATIC;
    }

    /** Starts from a copy of the static table: built once, since every SDP of every call starts here (#19). */
    public static Builder builder() {
        return new Builder(STATIC);
    }

    public int clockRate(int payloadType) {
        int rate = clockRates[payloadType & 0x7f];
        return rate > 0 ? rate : DEFAULT_CLOCK_RATE;
    }

    public Codec codec(int payloadType) {
        Codec codec = codecs[payloadType & 0x7f];
        return codec != null ? codec : Codec.OTHER;
    }

    public boolean isEvent(int payloadType) {
        return events[payloadType & 0x7f];
    }

    /** Collects payload types; the first definition of a dynamic type wins. */
    public static final class Builder {
        private final int[] clockRates = new int[128];
        private final Codec[] codecs = new Codec[128];
        private final boolean[] events = new boolean[128];
        private final boolean[] fromSdp = new boolean[128];

        private Builder() {}

        private Builder(PayloadFormats base) {
            System.arraycopy(base.clockRates, 0, clockRates, 0, clockRates.length);
            System.arraycopy(base.codecs, 0, codecs, 0, codecs.length);
            System.arraycopy(base.events, 0, events, 0, events.length);
        }

        private Builder staticTypes() {
            put(0, "PCMU", 8000);
            put(3, "GSM", 8000);
            put(4, "G723", 8000);
            put(5, "DVI4", 8000);
            put(6, "DVI4", 16000);
            put(7, "LPC", 8000);
            put(8, "PCMA", 8000);
            put(9, "G722", 8000); // RFC 3551 §4.5.2: 8000 for historical reasons although it samples at 16 kHz
            put(10, "L16", 44100);
            put(11, "L16", 44100);
            put(12, "QCELP", 8000);
            put(13, "CN", 8000);
            put(14, "MPA", 90000);
            put(15, "G728", 8000);
            put(16, "DVI4", 11025);
            put(17, "DVI4", 22050);
            put(18, "G729", 8000);
            for (int video : new int[] {25, 26, 28, 31, 32, 33, 34}) {
                put(video, "video", 90000);
            }
            Arrays.fill(fromSdp, false);
            return this;
        }

        /** An {@code a=rtpmap}; ignored when this payload type was already defined by an earlier SDP entry. */
        public Builder rtpMap(int payloadType, String encoding, int clockRate) {
            if (payloadType < 0 || payloadType > 127 || clockRate <= 0 || fromSdp[payloadType]) {
                return this;
            }
            put(payloadType, encoding, clockRate);
            fromSdp[payloadType] = true;
            return this;
        }

        private void put(int payloadType, String encoding, int clockRate) {
            clockRates[payloadType] = clockRate;
            codecs[payloadType] = Codec.ofEncoding(encoding);
            events[payloadType] = encoding.toLowerCase(Locale.ROOT).equals("telephone-event");
        }

        public PayloadFormats build() {
            return new PayloadFormats(clockRates.clone(), codecs.clone(), events.clone());
        }
    }
}
