package org.sipbridge.contract.media;

/**
 * What the SIP relay needs from the media relay: one media session per call leg pair. The SIP relay
 * hands every SDP body that crosses the bridge to the session and forwards the SDP it gets back;
 * it never parses SDP itself. Implemented by rtp-relay and wired by the daemon.
 */
public interface MediaRelay {

    /**
     * Reserves ports on both adapters for a new call. The call keeps the session's {@link MediaSession#id()}.
     *
     * @param callId the Call-ID of the leg toward the phone, for status, logs and capture file names
     * @throws MediaUnavailableException when no ports are left or the adapters are not usable; the
     *                                   SIP relay then answers the INVITE with an error
     */
    MediaSession allocate(String callId) throws MediaUnavailableException;
}
