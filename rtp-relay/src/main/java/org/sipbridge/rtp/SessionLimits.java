package org.sipbridge.rtp;

import org.sipbridge.config.MediaSettings;

/**
 * How much one call may take, so that no caller can hoard the port range (issue #14).
 *
 * @param maxStreams          most m-lines an SDP body of the call may have ({@code media.maxStreamsPerCall})
 * @param inactivityNanos     silence allowed while two-way media is expected
 * @param holdTimeoutNanos    time allowed without two-way media: held, inactive, one-way or never answered
 *                            ({@code media.holdTimeoutSec})
 */
record SessionLimits(int maxStreams, long inactivityNanos, long holdTimeoutNanos) {

    SessionLimits {
        if (maxStreams < 1 || inactivityNanos <= 0 || holdTimeoutNanos <= 0) {
            throw new IllegalArgumentException("session limits must be positive: " + maxStreams + ", " + inactivityNanos
                    + ", " + holdTimeoutNanos);
        }
    }

    static SessionLimits of(MediaSettings settings, long inactivityNanos) {
        return new SessionLimits(
                settings.maxStreamsPerCall(), inactivityNanos, settings.holdTimeoutSec() * 1_000_000_000L);
    }
}
