package org.sipbridge.daemon.recovery;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.sipbridge.contract.Failures;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.rtp.RtpRelayService;
import org.sipbridge.sip.SipRelayService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the running RTP and SIP relays to the VPN adapter's new address: the media first (every
 * call's VPN sockets, same ports), then SIP (listening points, registrations, one re-INVITE per call),
 * so the re-INVITEs announce sockets that already listen.
 */
public final class RelayMover implements VpnMover {

    private static final Logger log = LoggerFactory.getLogger(RelayMover.class);

    private final String rtpName;
    private final String sipName;
    private final Supplier<Optional<RtpRelayService>> rtp;
    private final Supplier<Optional<SipRelayService>> sip;
    private final Supplier<Optional<ResolvedAdapter>> vpn;

    /** {@code vpn} resolves the configured VPN adapter as it is now. */
    public RelayMover(
            String rtpName,
            Supplier<Optional<RtpRelayService>> rtp,
            String sipName,
            Supplier<Optional<SipRelayService>> sip,
            Supplier<Optional<ResolvedAdapter>> vpn) {
        this.rtpName = rtpName;
        this.rtp = rtp;
        this.sipName = sipName;
        this.sip = sip;
        this.vpn = vpn;
    }

    @Override
    public Set<String> services() {
        return Set.of(rtpName, sipName);
    }

    @Override
    public List<String> moveTo(AdapterWatcher.Seen seen) {
        Optional<RtpRelayService> media = rtp.get();
        Optional<SipRelayService> signalling = sip.get();
        Optional<ResolvedAdapter> adapter = vpn.get();
        if (media.isEmpty() || signalling.isEmpty()) {
            return List.of("the relays are not running");
        }
        if (adapter.isEmpty() || !adapter.get().addressText().equals(seen.address())) {
            return List.of("the VPN adapter changed again");
        }
        List<String> stuck = media.get().moveVpnTo(adapter.get().address());
        if (!stuck.isEmpty()) {
            log.warn("Media of some calls could not move to {}: {}", seen.address(), String.join("; ", stuck));
        }
        try {
            signalling.get().moveVpnTo(adapter.get());
        } catch (Exception e) {
            return List.of("SIP could not move: " + Failures.rootMessage(e));
        }
        return List.of();
    }
}
