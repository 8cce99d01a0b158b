package org.sipbridge.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipbridge.contract.media.MediaNotAcceptableException;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.contract.media.MediaSession;

/**
 * Test double of the media relay: rewrites every IPv4 address in SDP to the address of the side the
 * SDP goes to, and counts sessions, so SIP tests can see SDP pass through it without real ports.
 */
public final class FakeMediaRelay implements MediaRelay {

    private final String lanAddress;
    /** Changes with {@link #moveVpnTo}, as the real relay's VPN address does. */
    private volatile String vpnAddress;
    /** The PBX's answers to re-offers from a new VPN address, in order. */
    public final List<String> reofferAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public final List<String> allocated = new ArrayList<>();
    public final AtomicInteger released = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    /** "lan" or "vpn" for each rejected offer the SIP relay reported, in order. */
    public final List<String> rejectedOffers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The timeout actions the SIP relay registered, one per session, in order. */
    public final List<java.util.function.Consumer<String>> timeoutActions =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** SDP containing this text is refused as the real relay refuses media it must not send (null: none). */
    public volatile String refuseSdpContaining;
    /** Thrown by the next SDP rewrite, standing in for anything unexpected the stack or relay throws (null: none). */
    public volatile RuntimeException crash;

    public FakeMediaRelay(String lanAddress, String vpnAddress) {
        this.lanAddress = lanAddress;
        this.vpnAddress = vpnAddress;
    }

    /** The VPN came back with another address: later SDP toward the PBX names it. */
    public void moveVpnTo(String address) {
        vpnAddress = address;
    }

    @Override
    public MediaSession allocate(String callId) {
        allocated.add(callId);
        String id = "fake" + ids.incrementAndGet();
        return new MediaSession() {
            private boolean done;
            private volatile String lastFromLan;

            /** The phone's last SDP at the current VPN address, its o= version one higher. */
            @Override
            public String vpnReoffer() {
                java.util.regex.Matcher origin = java.util.regex.Pattern.compile("(?m)^(o=\\S+ \\d+ )(\\d+)")
                        .matcher(lastFromLan);
                String bumped =
                        origin.find() ? origin.replaceFirst("$1" + (Long.parseLong(origin.group(2)) + 1)) : lastFromLan;
                return bumped.replaceAll("IN IP4 [0-9.]+", "IN IP4 " + vpnAddress);
            }

            @Override
            public void vpnReofferAnswered(String sdp) {
                reofferAnswers.add(sdp);
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public String callId() {
                return callId;
            }

            @Override
            public void onTimeout(java.util.function.Consumer<String> action) {
                timeoutActions.add(action);
            }

            private void check(String sdp) throws MediaNotAcceptableException {
                RuntimeException unexpected = crash;
                if (unexpected != null) {
                    crash = null;
                    throw unexpected;
                }
                String refused = refuseSdpContaining;
                if (refused != null && sdp.contains(refused)) {
                    throw new MediaNotAcceptableException("media to " + refused + " is not allowed");
                }
            }

            @Override
            public String fromLan(String sdp) throws MediaNotAcceptableException {
                check(sdp);
                lastFromLan = sdp;
                return sdp.replaceAll("IN IP4 [0-9.]+", "IN IP4 " + vpnAddress);
            }

            @Override
            public String fromVpn(String sdp) throws MediaNotAcceptableException {
                check(sdp);
                return sdp.replaceAll("IN IP4 [0-9.]+", "IN IP4 " + lanAddress);
            }

            @Override
            public void lanOfferRejected() {
                rejectedOffers.add("lan");
            }

            @Override
            public void vpnOfferRejected() {
                rejectedOffers.add("vpn");
            }

            @Override
            public void release() {
                if (!done) {
                    done = true;
                    released.incrementAndGet();
                }
            }
        };
    }
}
