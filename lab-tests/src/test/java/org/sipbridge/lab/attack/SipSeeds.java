package org.sipbridge.lab.attack;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Well-formed SIP messages as a phone on the LAN or the PBX on the VPN side sends them to the
 * bridge: the starting points the {@link SipMutator} breaks. Each call gives fresh Call-ID, tags
 * and branch from the input's own random source, so an input is the same for the same seed.
 */
public final class SipSeeds {

    /** Where the messages claim to come from and go to. */
    public record Addresses(String bridge, String self, String lanPeer, String domain) {}

    private SipSeeds() {}

    /** One seed of the phone side: REGISTER, INVITE with SDP, OPTIONS, BYE, CANCEL, ACK, re-INVITE, INFO, MESSAGE. */
    public static String lan(SplittableRandom random, Addresses a, String transport) {
        Ids ids = new Ids(random);
        String user = random.nextInt(4) == 0 ? "100" + random.nextInt(10) : "1001";
        String via = "Via: SIP/2.0/" + transport + " " + a.self() + ":" + ids.port + ";branch=z9hG4bK" + ids.branch
                + ";rport\r\n";
        String from = "From: \"Lab Phone\" <sip:" + user + "@" + a.domain() + ">;tag=" + ids.tag + "\r\n";
        String contact = "Contact: <sip:" + user + "@" + a.self() + ":" + ids.port + ";transport="
                + transport.toLowerCase(Locale.ROOT) + ">\r\n";
        String common =
                "Max-Forwards: 70\r\nCall-ID: " + ids.callId + "@" + a.self() + "\r\nUser-Agent: sipbridge-fuzz\r\n";
        return switch (random.nextInt(9)) {
            case 0 ->
                "REGISTER sip:" + a.domain() + " SIP/2.0\r\n" + via + from + "To: <sip:" + user + "@" + a.domain()
                        + ">\r\n" + common + "CSeq: 1 REGISTER\r\n" + contact + "Expires: 300\r\n"
                        + (random.nextBoolean()
                                ? "Authorization: Digest username=\"" + user + "\", realm=\"" + a.domain()
                                        + "\", nonce=\"" + ids.branch + "\", uri=\"sip:" + a.domain()
                                        + "\", response=\"" + ids.callId
                                        + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"" + ids.tag + "\"\r\n"
                                : "")
                        + "Content-Length: 0\r\n\r\n";
            case 1, 2 ->
                withBody(
                        "INVITE sip:2000@" + a.domain() + " SIP/2.0\r\n" + via + from + "To: <sip:2000@" + a.domain()
                                + ">\r\n" + common + "CSeq: 1 INVITE\r\n" + contact
                                + "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER, NOTIFY\r\nSupported: replaces, 100rel\r\n",
                        SdpSeeds.offer(random, a.self()));
            case 3 ->
                "OPTIONS sip:" + (random.nextBoolean() ? a.bridge() : "2000@" + a.domain()) + " SIP/2.0\r\n" + via
                        + from + "To: <sip:" + a.bridge() + ">\r\n" + common
                        + "CSeq: 1 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n";
            case 4 -> inDialog("BYE", a, ids, via, from, common, "");
            case 5 -> inDialog("CANCEL", a, ids, via, from, common, "").replace(";tag=" + ids.remoteTag, "");
            case 6 -> inDialog("ACK", a, ids, via, from, common, "");
            case 7 ->
                withBody(
                        inDialog("INVITE", a, ids, via, from, common, contact).replace("Content-Length: 0\r\n\r\n", ""),
                        SdpSeeds.offer(random, a.self()));
            default ->
                withBody(
                        (random.nextBoolean() ? "INFO" : "MESSAGE") + " sip:2000@" + a.domain() + " SIP/2.0\r\n" + via
                                + from + "To: <sip:2000@" + a.domain() + ">;tag=" + ids.remoteTag + "\r\n" + common
                                + "CSeq: 2 INFO\r\n"
                                + "Content-Type: application/dtmf-relay\r\n",
                        "Signal=5\r\nDuration=160\r\n");
        };
    }

    /** One seed of the PBX side: INVITE toward the phone, OPTIONS probe, BYE, and responses to the bridge's requests. */
    public static String vpn(SplittableRandom random, Addresses a, String transport) {
        Ids ids = new Ids(random);
        String via = "Via: SIP/2.0/" + transport + " " + a.self() + ":5060;branch=z9hG4bK" + ids.branch + "\r\n";
        String bridgeVia = "Via: SIP/2.0/" + transport + " " + a.bridge() + ":8060;branch=z9hG4bK" + ids.remoteTag
                + ";rport=8060\r\n";
        String common = "Call-ID: " + ids.callId + "@" + a.bridge() + "\r\n";
        String fromPbx = "From: <sip:2000@" + a.domain() + ">;tag=" + ids.tag + "\r\n";
        String toPhone = "To: <sip:1001@" + a.domain() + ">";
        return switch (random.nextInt(7)) {
            case 0, 1 ->
                withBody(
                        "INVITE sip:1001@" + a.bridge() + ":8060;bridge=" + ids.branch + " SIP/2.0\r\n" + via
                                + "Max-Forwards: 69\r\nRecord-Route: <sip:" + a.self() + ";lr>\r\n" + fromPbx + toPhone
                                + "\r\n" + common
                                + "CSeq: 10 INVITE\r\nContact: <sip:2000@" + a.self() + ":5070>\r\n",
                        SdpSeeds.offer(random, a.self()));
            case 2 ->
                "OPTIONS sip:" + a.bridge() + ":8060 SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n" + fromPbx + "To: <sip:"
                        + a.bridge() + ">\r\n" + common + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            case 3 ->
                "BYE sip:1001@" + a.bridge() + ":8060 SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n" + fromPbx + toPhone
                        + ";tag=" + ids.remoteTag + "\r\n" + common + "CSeq: 11 BYE\r\nContent-Length: 0\r\n\r\n";
            case 4 ->
                withBody(
                        "SIP/2.0 200 OK\r\n" + bridgeVia + "From: <sip:1001@" + a.domain() + ">;tag=" + ids.remoteTag
                                + "\r\nTo: <sip:2000@" + a.domain() + ">;tag=" + ids.tag + "\r\n" + common
                                + "CSeq: 1 INVITE\r\n"
                                + "Contact: <sip:2000@" + a.self() + ":5070>\r\n",
                        SdpSeeds.offer(random, a.self()));
            case 5 ->
                "SIP/2.0 407 Proxy Authentication Required\r\n" + bridgeVia + "From: <sip:1001@" + a.domain() + ">;tag="
                        + ids.remoteTag + "\r\nTo: <sip:2000@" + a.domain() + ">;tag=" + ids.tag + "\r\n" + common
                        + "CSeq: 1 INVITE\r\nProxy-Authenticate: Digest realm=\"" + a.domain() + "\", nonce=\""
                        + ids.branch
                        + "\", qop=\"auth\", algorithm=MD5\r\nContent-Length: 0\r\n\r\n";
            default ->
                "SIP/2.0 "
                        + List.of("503 Service Unavailable", "500 Server Error", "180 Ringing", "486 Busy Here")
                                .get(random.nextInt(4))
                        + "\r\n" + bridgeVia + "From: <sip:1001@" + a.domain() + ">;tag=" + ids.remoteTag
                        + "\r\nTo: <sip:2000@" + a.domain() + ">;tag=" + ids.tag + "\r\n" + common
                        + "CSeq: 1 REGISTER\r\n"
                        + "Retry-After: " + random.nextInt(100) + "\r\nContent-Length: 0\r\n\r\n";
        };
    }

    private static String inDialog(
            String method, Addresses a, Ids ids, String via, String from, String common, String contact) {
        return method + " sip:2000@" + a.domain() + " SIP/2.0\r\n" + via + from + "To: <sip:2000@" + a.domain()
                + ">;tag=" + ids.remoteTag + "\r\n" + common + "CSeq: 2 " + method + "\r\n" + contact
                + "Content-Length: 0\r\n\r\n";
    }

    private static String withBody(String head, String body) {
        String type = head.contains("Content-Type:") ? "" : "Content-Type: application/sdp\r\n";
        return head + type + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static final class Ids {
        final String callId;
        final String tag;
        final String remoteTag;
        final String branch;
        final int port;

        Ids(SplittableRandom random) {
            callId = Long.toHexString(random.nextLong());
            tag = Integer.toHexString(random.nextInt());
            remoteTag = Integer.toHexString(random.nextInt());
            branch = Long.toHexString(random.nextLong());
            port = 5062 + random.nextInt(100);
        }
    }
}
