package org.sipbridge.contract.status;

import java.time.Instant;
import java.util.List;

/**
 * A call through the bridge as the Sessions page lists it: the phone-side Call-ID, who calls whom
 * (display name, else user), which way, its state and times ({@code answered}/{@code ended} null
 * until they happen), the SIP timeline of both legs, oldest first, and the LAN address of the
 * call's phone (the caller, or the phone the PBX called), by which the phone list finds its calls.
 * {@code mediaId} is the {@link org.sipbridge.contract.media.MediaSession#id()} of the call's media, null
 * when the call has none: it joins the call to its media exactly.
 */
public record CallStatus(
        String callId,
        String from,
        String to,
        boolean outgoing,
        String state,
        Instant started,
        Instant answered,
        Instant ended,
        List<CallEvent> timeline,
        String phoneAddress,
        String mediaId) {

    public CallStatus {
        timeline = List.copyOf(timeline);
    }
}
