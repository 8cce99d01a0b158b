package org.sipbridge.lab.attack;

import java.util.SplittableRandom;

/** SDP offers as phones and PBXs send them: one audio stream, sometimes video, hold or SRTP. */
final class SdpSeeds {

    private SdpSeeds() {}

    static String offer(SplittableRandom random, String address) {
        int port = 2 * (5000 + random.nextInt(5000));
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ")
                .append(random.nextInt(1 << 30))
                .append(" 1 IN IP4 ")
                .append(address)
                .append("\r\n")
                .append("s=-\r\n")
                .append("c=IN IP4 ")
                .append(address)
                .append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ")
                .append(port)
                .append(" RTP/")
                .append(random.nextInt(4) == 0 ? "SAVP" : "AVP")
                .append(" 0 8 101\r\n")
                .append("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n")
                .append("a=fmtp:101 0-15\r\na=ptime:20\r\n")
                .append("a=rtcp:")
                .append(port + 1)
                .append("\r\n");
        switch (random.nextInt(5)) {
            case 0 -> sdp.append("a=sendonly\r\n");
            case 1 ->
                sdp.append("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n");
            case 2 -> sdp.append("m=video ").append(port + 2).append(" RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n");
            default -> sdp.append("a=sendrecv\r\n");
        }
        return sdp.toString();
    }
}
