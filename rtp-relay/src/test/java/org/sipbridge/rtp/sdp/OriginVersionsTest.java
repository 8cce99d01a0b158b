package org.sipbridge.rtp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class OriginVersionsTest {

    private static Origin origin(long version) {
        return new Origin("-", "1", BigInteger.valueOf(version));
    }

    @Test
    void firstBodyKeepsItsVersionAndEachChangeAddsOne() {
        OriginVersions versions = new OriginVersions();
        assertEquals(BigInteger.valueOf(7), versions.next("offer", origin(7)));
        assertEquals(
                BigInteger.valueOf(8),
                versions.next("re-offer", origin(7)),
                "changed although the sender did not bump");
        assertEquals(
                BigInteger.valueOf(9), versions.next("re-offer bumped", origin(12)), "one more, not the sender's jump");
        assertEquals(
                BigInteger.valueOf(10), versions.next("offer", origin(7)), "back to an earlier body is still a change");
    }

    @Test
    void anUnchangedBodyKeepsTheVersion() {
        OriginVersions versions = new OriginVersions();
        versions.next("offer", origin(3));
        assertEquals(
                BigInteger.valueOf(3), versions.next("offer", origin(3)), "RFC 3264 §8: unchanged SDP, same version");
    }

    @Test
    void versionsBeyondSixtyFourBitsStillCount() {
        OriginVersions versions = new OriginVersions();
        BigInteger big = new BigInteger("99999999999999999999");
        versions.next("a", new Origin("-", "1", big));
        assertEquals(big.add(BigInteger.ONE), versions.next("b", new Origin("-", "1", big)));
    }
}
