package org.sipbridge.rtp.sdp;

import java.math.BigInteger;

/**
 * The {@code o=} sess-version the bridge announces for one direction of one call. RFC 3264 §8: a changed
 * SDP carries the previous version plus one, an unchanged one repeats it. The bridge cannot trust the
 * sender to do that (and its rewriting hides the sender's own versions anyway), so it counts itself:
 * the first body keeps the sender's version, each later body that differs from the previous one in any
 * byte (including a version the sender bumped) gets the last announced version plus one, and a repeated
 * body gets the same version again. Not thread-safe: the owning session serialises its signalling.
 */
public final class OriginVersions {

    private String lastBody;
    private BigInteger lastVersion;

    public BigInteger next(String body, Origin origin) {
        if (lastVersion == null) {
            lastVersion = origin.version();
        } else if (!body.equals(lastBody)) {
            lastVersion = lastVersion.add(BigInteger.ONE);
        }
        lastBody = body;
        return lastVersion;
    }

    /**
     * The version for a body the bridge changed itself (the same sender's SDP at a new bridge address):
     * the last announced version plus one; the sender repeating its last body afterwards gets this one.
     */
    public BigInteger bump() {
        if (lastVersion == null) {
            throw new IllegalStateException("no SDP was announced yet");
        }
        lastVersion = lastVersion.add(BigInteger.ONE);
        return lastVersion;
    }
}
