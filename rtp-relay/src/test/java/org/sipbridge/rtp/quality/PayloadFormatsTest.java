package org.sipbridge.rtp.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PayloadFormatsTest {

    @Test
    void everyBuilderStartsFromTheStaticTypesWhateverAnEarlierSdpRedefined() {
        PayloadFormats first = PayloadFormats.builder()
                .rtpMap(0, "opus", 48000)
                .rtpMap(101, "telephone-event", 8000)
                .build();
        PayloadFormats next = PayloadFormats.builder().build();

        assertEquals(48000, first.clockRate(0));
        assertEquals(Codec.OPUS, first.codec(0));
        assertTrue(first.isEvent(101));
        assertEquals(8000, next.clockRate(0));
        assertEquals(Codec.G711, next.codec(0));
        assertFalse(next.isEvent(101));
        assertEquals(16000, next.clockRate(6));
        assertEquals(Codec.G722, PayloadFormats.staticOnly().codec(9));
    }

    @Test
    void aDynamicTypeKeepsItsFirstDefinition() {
        PayloadFormats formats = PayloadFormats.builder()
                .rtpMap(96, "G729", 8000)
                .rtpMap(96, "opus", 48000)
                .build();

        assertEquals(Codec.G729, formats.codec(96));
        assertEquals(8000, formats.clockRate(96));
    }
}
