package org.sipbridge.rtp;

/** Why a media session ended. */
public enum EndReason {
    /** The SIP relay released it (BYE, CANCEL, failed INVITE). */
    RELEASED,
    /** No packet in either direction for the inactivity timeout while two-way media was expected. */
    INACTIVITY,
    /** No two-way media (held, inactive, one-way or never answered) for {@code media.holdTimeoutSec}. */
    HOLD_TIMEOUT,
    /** The relay was stopped. */
    SHUTDOWN;

    /** Ended by the relay on its own: the SIP relay is told (MediaSession.onTimeout) and hangs up. */
    public boolean timedOut() {
        return this == INACTIVITY || this == HOLD_TIMEOUT;
    }
}
