package org.sipbridge.contract.status;

import java.time.Instant;

/**
 * One server of the registration group. {@code lastResponse} is null before any answer;
 * {@code optionsRttMs} is -1 until an OPTIONS probe has been answered.
 */
public record ServerStatus(
        String address, ServerState state, boolean current, Instant lastResponse, long optionsRttMs) {

    public enum ServerState {
        UNKNOWN,
        UP,
        DOWN
    }
}
