package org.sipbridge.contract.media;

/**
 * The media of one call through the bridge. SDP from the phone goes out toward the PBX advertising
 * the bridge's VPN-side ports, and SDP from the PBX goes to the phone advertising the LAN-side
 * ports; each call also teaches the session where the sender wants its media (so a re-INVITE or
 * UPDATE moves the stream without dropping audio).
 */
public interface MediaSession {

    /**
     * This session's id, unique while the bridge runs. The SIP call keeps it ({@code CallStatus.mediaId}),
     * so status joins a call to exactly its media, even when several sessions share one Call-ID.
     */
    String id();

    String callId();

    /** Rewrites an SDP body the phone sent (offer or answer) for the PBX side. */
    String fromLan(String sdp) throws MediaUnavailableException;

    /** Rewrites an SDP body the PBX sent (offer or answer) for the phone side. */
    String fromVpn(String sdp) throws MediaUnavailableException;

    /**
     * The PBX refused the offer in the phone's last SDP (a non-2xx final response, or none, to the re-INVITE or
     * UPDATE that carried it): RFC 3264 §8 says the session then stays as it was, so the media goes back to
     * where the phone announced it before that SDP. Call it only after an SDP from the phone that was an offer.
     */
    void lanOfferRejected();

    /** The phone refused the offer in the PBX's last SDP: as {@link #lanOfferRejected()}, the other way round. */
    void vpnOfferRejected();

    /**
     * The bridge's VPN address changed under a call (the VPN came back with another address): the
     * phone's last SDP as an offer for the PBX, at the bridge's new VPN address and ports, with the
     * next {@code o=} version (RFC 3264 §8), for the re-INVITE that tells the PBX where the media is now.
     *
     * @throws MediaUnavailableException when the session has ended or the phone has sent no SDP yet
     */
    default String vpnReoffer() throws MediaUnavailableException {
        throw new MediaUnavailableException("this media session cannot move to another VPN address");
    }

    /**
     * The PBX's answer to {@link #vpnReoffer()}: where the PBX wants its media now. Nothing of it goes
     * to the phone, whose leg did not change.
     */
    default void vpnReofferAnswered(String sdp) throws MediaUnavailableException {}

    /**
     * What to do when the media relay ends the session on its own (no packets for the inactivity
     * limit, or a held stream past its limit): the SIP relay then ends the call on both legs. The
     * session is already released when {@code action} runs; it runs at most once, on a media thread,
     * so it must hand off and return at once. The argument says why, for the log.
     */
    default void onTimeout(java.util.function.Consumer<String> action) {}

    /** Frees the ports (BYE, CANCEL, failure). Idempotent. */
    void release();
}
