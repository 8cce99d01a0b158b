package org.sipbridge.provisioning.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

    @Test
    void removesTheFixedListAndWhatConnectionNames() {
        HeaderMap headers = new HeaderMap();
        headers.add(Headers.CONNECTION, "keep-alive, X-Hop-A");
        headers.add(Headers.CONNECTION, "x-hop-b");
        headers.add(new HttpString("X-Hop-A"), "a");
        headers.add(new HttpString("X-Hop-B"), "b");
        for (HttpString name : HopByHopHeaders.ALWAYS) {
            headers.add(name, "v");
        }
        headers.add(Headers.AUTHORIZATION, "Digest username=\"x\"");
        headers.add(Headers.EXPECT, "100-continue");
        headers.add(Headers.RANGE, "bytes=0-9");

        HopByHopHeaders.strip(headers);

        assertEquals(3, headers.size(), headers.toString());
        assertTrue(headers.contains(Headers.AUTHORIZATION));
        assertTrue(headers.contains(Headers.EXPECT), "Expect is end-to-end: the upstream answers 100-continue");
        assertTrue(headers.contains(Headers.RANGE));
    }

    @Test
    void aChunkedMessageLosesItsContentLength() {
        HeaderMap headers = new HeaderMap();
        headers.add(Headers.TRANSFER_ENCODING, "chunked");
        headers.add(Headers.CONTENT_LENGTH, "10");

        HopByHopHeaders.strip(headers);

        assertFalse(headers.contains(Headers.CONTENT_LENGTH));
        assertFalse(headers.contains(Headers.TRANSFER_ENCODING));
    }

    @Test
    void aFixedLengthMessageKeepsItsContentLength() {
        HeaderMap headers = new HeaderMap();
        headers.add(Headers.CONTENT_LENGTH, "10");
        headers.add(Headers.CONNECTION, "close");

        HopByHopHeaders.strip(headers);

        assertEquals("10", headers.getFirst(Headers.CONTENT_LENGTH));
    }
}
