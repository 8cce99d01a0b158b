package org.sipbridge.rtp.relay;

import java.util.Map;
import org.sipbridge.rtp.quality.Direction;
import org.sipbridge.rtp.quality.PayloadFormats;
import org.sipbridge.rtp.sdp.AnnouncedStream;
import org.sipbridge.rtp.sdp.RtpMap;

/**
 * What the packet path needs to interpret a stream's packets, rebuilt by signalling from both sides' SDP
 * and swapped in whole (immutable). The payload types a packet carries are the receiver's (RFC 3264 §5.1:
 * an SDP lists what its sender wants to receive), so the receiver's rtpmaps win, the sender's fill gaps.
 */
public record StreamMedia(PayloadFormats lanToVpn, PayloadFormats vpnToLan, boolean encrypted) {

    public static final StreamMedia UNKNOWN =
            new StreamMedia(PayloadFormats.staticOnly(), PayloadFormats.staticOnly(), false);

    public PayloadFormats formats(Direction direction) {
        return direction == Direction.LAN_TO_VPN ? lanToVpn : vpnToLan;
    }

    /** Either side may still be unknown ({@code null}). */
    public static StreamMedia of(AnnouncedStream lan, AnnouncedStream vpn) {
        boolean encrypted = (lan != null && lan.encrypted()) || (vpn != null && vpn.encrypted());
        return new StreamMedia(formats(vpn, lan), formats(lan, vpn), encrypted);
    }

    private static PayloadFormats formats(AnnouncedStream receiver, AnnouncedStream sender) {
        PayloadFormats.Builder builder = PayloadFormats.builder();
        add(builder, receiver);
        add(builder, sender);
        return builder.build();
    }

    private static void add(PayloadFormats.Builder builder, AnnouncedStream stream) {
        if (stream == null) {
            return;
        }
        for (Map.Entry<Integer, RtpMap> map : stream.rtpMaps().entrySet()) {
            builder.rtpMap(
                    map.getKey(), map.getValue().encoding(), map.getValue().clockRate());
        }
    }
}
