package org.sipbridge.rtp.sdp;

/** An {@code a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]} attribute. */
public record RtpMap(int payloadType, String encoding, int clockRate) {}
