package org.sipbridge.rtp.capture;

/** A protected capture that cannot be trusted (tampered, truncated, wrong key) or read. */
public final class CaptureRefusedException extends Exception {

    public CaptureRefusedException(String message) {
        super(message);
    }
}
