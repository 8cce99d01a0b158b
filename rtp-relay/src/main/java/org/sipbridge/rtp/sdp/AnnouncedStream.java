package org.sipbridge.rtp.sdp;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Where one side wants to receive one stream, as its SDP announced it; the relay sends there until it has
 * latched the real source, and accepts packets only from this address's IP.
 *
 * @param relayed  false for a disabled (port 0) or non-UDP stream: no ports, no forwarding
 * @param rtp      {@code null} when the stream is not relayed or on hold ({@code c=0.0.0.0})
 * @param rtcp     {@code null} likewise; {@code a=rtcp} when present, else RTP port + 1 (RFC 3550 §11)
 * @param sendRecv the SDP says {@code a=sendrecv} (or no direction); {@code a=sendonly}, {@code a=recvonly}
 *                 and {@code a=inactive} mean hold or one-way media, where silence is normal
 */
public record AnnouncedStream(
        int index,
        String media,
        boolean relayed,
        InetSocketAddress rtp,
        InetSocketAddress rtcp,
        boolean rtcpMux,
        boolean encrypted,
        boolean sendRecv,
        List<Integer> formats,
        Map<Integer, RtpMap> rtpMaps) {

    public AnnouncedStream {
        formats = List.copyOf(formats);
        rtpMaps = Map.copyOf(rtpMaps);
    }

    public boolean onHold() {
        return relayed && rtp == null;
    }

    /** The streams of an SDP body, in m-line order. */
    public static List<AnnouncedStream> of(SessionDescription sdp) {
        return sdp.media().stream().map(AnnouncedStream::of).toList();
    }

    static AnnouncedStream of(MediaDescription media) {
        boolean relayed = !media.disabled() && media.udp();
        InetSocketAddress rtp = null;
        InetSocketAddress rtcp = null;
        if (relayed && !media.connection().isHold()) {
            rtp = new InetSocketAddress(media.connection().address(), media.port());
            rtcp = rtcpAddress(media);
        }
        return new AnnouncedStream(
                media.index(),
                media.media(),
                relayed,
                rtp,
                rtcp,
                media.rtcpMux(),
                media.encrypted(),
                "sendrecv".equals(media.direction()),
                media.formats(),
                media.rtpMaps());
    }

    private static InetSocketAddress rtcpAddress(MediaDescription media) {
        RtcpAttribute attribute = media.rtcp();
        if (attribute == null) {
            return media.port() < 65535
                    ? new InetSocketAddress(media.connection().address(), media.port() + 1)
                    : null;
        }
        if (attribute.address() != null && attribute.address().isAnyLocalAddress()) {
            return null;
        }
        return new InetSocketAddress(
                attribute.address() != null
                        ? attribute.address()
                        : media.connection().address(),
                attribute.port());
    }
}
