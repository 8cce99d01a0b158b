package org.sipbridge.rtp.sdp;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import org.sipbridge.rtp.ports.PortPair;

/**
 * Rewrites a parsed SDP body so that it advertises the bridge on the side it is sent to. Pure function:
 * replaces only the {@code o=}, {@code c=}, {@code m=} and {@code a=rtcp:} lines, drops ICE attributes
 * and keeps every other line byte for byte and in order (so {@code a=crypto} keys, direction attributes
 * and unknown attributes pass untouched). Lines always end with CRLF.
 *
 * <p>ICE goes because its candidates carry the sender's own addresses (a phone's host candidates and
 * {@code raddr} name the home LAN) and because ICE cannot work through the relay anyway: the other side
 * would run connectivity checks against addresses it cannot reach, or that are not the bridge's.
 */
public final class SdpRewriter {

    private SdpRewriter() {}

    /**
     * @param bridge  the bridge's address on the side the body goes to (topology hiding: also replaces the
     *                {@code o=} address, which is the sender's own)
     * @param ports   the bridge's ports on that side, by m-line index; {@code null} for streams not relayed
     * @param version the {@code o=} sess-version to announce (see {@link OriginVersions})
     */
    public static String rewrite(
            SessionDescription sdp, Inet4Address bridge, List<PortPair> ports, BigInteger version) {
        List<String> out = new ArrayList<>(sdp.lines());
        String address = bridge.getHostAddress();
        Origin origin = sdp.origin();
        out.set(
                sdp.originLine(),
                "o=" + origin.username() + " " + origin.sessionId() + " " + version + " IN IP4 " + address);
        if (sdp.sessionConnection() != null && !sdp.sessionConnection().isHold()) {
            out.set(sdp.sessionConnectionLine(), "c=IN IP4 " + address);
        }
        for (MediaDescription media : sdp.media()) {
            PortPair pair = media.index() < ports.size() ? ports.get(media.index()) : null;
            rewriteMedia(out, media, address, pair);
        }
        return SdpLines.join(out.stream().filter(line -> !isIceLine(line)).toList());
    }

    /** RFC 8839 attributes: candidates, credentials and options; none of them means anything past the relay. */
    public static boolean isIceLine(String line) {
        return line.startsWith("a=candidate:")
                || line.startsWith("a=remote-candidates:")
                || line.startsWith("a=ice-")
                || line.equals("a=end-of-candidates");
    }

    private static void rewriteMedia(List<String> out, MediaDescription media, String address, PortPair pair) {
        for (int line : media.connectionLines()) {
            if (!isHold(out.get(line))) {
                out.set(line, "c=IN IP4 " + address);
            }
        }
        if (media.disabled()) {
            rewriteRtcpAddressOnly(out, media.rtcp(), address);
            return;
        }
        if (!media.udp()) {
            out.set(media.line(), withPort(out.get(media.line()), 0)); // decline what a UDP relay cannot carry
            rewriteRtcpAddressOnly(out, media.rtcp(), address);
            return;
        }
        if (pair == null) {
            throw new IllegalArgumentException("no bridge ports for m= line " + (media.index() + 1));
        }
        out.set(media.line(), withPort(out.get(media.line()), pair.rtp()));
        RtcpAttribute rtcp = media.rtcp();
        if (rtcp != null) {
            // a=rtcp naming the RTP port itself announces RTCP multiplexing (RFC 5761 §5.1.3): keep that meaning
            int port = rtcp.port() == media.port() ? pair.rtp() : pair.rtcp();
            out.set(rtcp.line(), "a=rtcp:" + port + rtcpAddress(rtcp, address));
        }
    }

    private static void rewriteRtcpAddressOnly(List<String> out, RtcpAttribute rtcp, String address) {
        if (rtcp != null && rtcp.address() != null) {
            out.set(rtcp.line(), "a=rtcp:" + rtcp.port() + rtcpAddress(rtcp, address));
        }
    }

    private static String rtcpAddress(RtcpAttribute rtcp, String bridge) {
        if (rtcp.address() == null) {
            return "";
        }
        return " IN IP4 " + (rtcp.address().isAnyLocalAddress() ? "0.0.0.0" : bridge);
    }

    /** Hold is exactly {@code c=IN IP4 0.0.0.0}; a disabled stream's c= may be anything (IPv6, a name). */
    private static boolean isHold(String connectionLine) {
        String prefix = "c=IN IP4 ";
        if (!connectionLine.startsWith(prefix)) {
            return false;
        }
        Inet4Address address = Ipv4Literal.parse(connectionLine.substring(prefix.length()));
        return address != null && address.isAnyLocalAddress();
    }

    /** Replaces the port token of an m= line; media, proto and formats stay byte for byte. */
    static String withPort(String mLine, int port) {
        int firstSpace = mLine.indexOf(' ');
        int secondSpace = mLine.indexOf(' ', firstSpace + 1);
        return mLine.substring(0, firstSpace + 1) + port + mLine.substring(secondSpace);
    }
}
