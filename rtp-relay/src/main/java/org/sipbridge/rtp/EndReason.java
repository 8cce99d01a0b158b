package org.sipbridge.rtp;

/** Why a media session ended. */
public enum EndReason {
    /** The SIP relay released it (BYE, CANCEL, failed INVITE). */
    RELEASED,
    /** No packet in either direction for the inactivity timeout. */
    INACTIVITY,
    /** The relay was stopped. */
    SHUTDOWN
}
