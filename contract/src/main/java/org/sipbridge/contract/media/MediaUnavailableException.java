package org.sipbridge.contract.media;

/** Media cannot be relayed for a call: no free ports, unusable adapter, or SDP that cannot be relayed. */
public class MediaUnavailableException extends Exception {

    public MediaUnavailableException(String message) {
        super(message);
    }

    public MediaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
