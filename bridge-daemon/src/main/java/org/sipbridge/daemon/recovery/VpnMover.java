package org.sipbridge.daemon.recovery;

import java.util.List;
import java.util.Set;

/**
 * Moves the services that carry calls (the SIP and RTP relays) to a new VPN address without
 * restarting them, so the calls in progress survive the VPN coming back with another address.
 */
public interface VpnMover {

    /** Moves nothing: every change restarts the services. */
    VpnMover NONE = new VpnMover() {
        @Override
        public Set<String> services() {
            return Set.of();
        }

        @Override
        public List<String> moveTo(AdapterWatcher.Seen vpn) {
            return List.of("moving is not supported");
        }
    };

    /** The names of the services it moves; the rebinder does not restart them when the move works. */
    Set<String> services();

    /** Moves them to {@code vpn}'s address; empty when it worked, else why not (then they are restarted). */
    List<String> moveTo(AdapterWatcher.Seen vpn);
}
