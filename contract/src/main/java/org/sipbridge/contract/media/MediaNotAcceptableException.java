package org.sipbridge.contract.media;

/**
 * The SDP offers media the bridge will not relay: too many streams, or a connection address that
 * points where media must not go (outside the LAN subnet on the phone's side; loopback, link-local,
 * multicast, broadcast or the bridge itself on the PBX's side). The SIP relay answers 488 Not
 * Acceptable Here and logs the message, which says why.
 */
public final class MediaNotAcceptableException extends MediaUnavailableException {

    public MediaNotAcceptableException(String message) {
        super(message);
    }
}
