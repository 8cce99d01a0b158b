package org.sipbridge.rtp.ports;

/** An even RTP port and the RTCP port above it (RFC 3550 §11: RTP on an even port, RTCP on the next one). */
public record PortPair(int rtp) {

    public PortPair {
        if (rtp < 2 || rtp > 65534 || (rtp & 1) != 0) {
            throw new IllegalArgumentException("RTP port must be even and below 65535: " + rtp);
        }
    }

    public int rtcp() {
        return rtp + 1;
    }

    @Override
    public String toString() {
        return rtp + "/" + rtcp();
    }
}
