package org.sipbridge.rtp.sdp;

import org.sipbridge.contract.media.MediaNotAcceptableException;

/** Decides whether the addresses an SDP body announces are places the bridge may send media to. */
@FunctionalInterface
public interface MediaDestinations {

    /**
     * @param fromLan true for a body from the phone (LAN side), false for one from the PBX (VPN side)
     * @throws MediaNotAcceptableException naming the line and why the bridge will not send media there
     */
    void check(SessionDescription sdp, boolean fromLan) throws MediaNotAcceptableException;
}
