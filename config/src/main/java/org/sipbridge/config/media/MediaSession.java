package org.sipbridge.config.media;

/**
 * The media of one call through the bridge. SDP from the phone goes out toward the PBX advertising
 * the bridge's VPN-side ports, and SDP from the PBX goes to the phone advertising the LAN-side
 * ports; each call also teaches the session where the sender wants its media (so a re-INVITE or
 * UPDATE moves the stream without dropping audio).
 */
public interface MediaSession {

    String callId();

    /** Rewrites an SDP body the phone sent (offer or answer) for the PBX side. */
    String fromLan(String sdp) throws MediaUnavailableException;

    /** Rewrites an SDP body the PBX sent (offer or answer) for the phone side. */
    String fromVpn(String sdp) throws MediaUnavailableException;

    /** Frees the ports (BYE, CANCEL, failure). Idempotent. */
    void release();
}
