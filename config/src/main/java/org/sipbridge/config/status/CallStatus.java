package org.sipbridge.config.status;

import java.time.Instant;
import java.util.List;

/**
 * A call through the bridge as the Sessions page lists it: the phone-side Call-ID, who calls whom
 * (display name, else user), which way, its state and times ({@code answered}/{@code ended} null
 * until they happen), and the SIP timeline of both legs, oldest first.
 */
public record CallStatus(String callId, String from, String to, boolean outgoing, String state, Instant started,
                         Instant answered, Instant ended, List<CallEvent> timeline) {

    public CallStatus {
        timeline = List.copyOf(timeline);
    }
}
