package org.sipbridge.contract.api;

import java.time.Instant;
import java.util.List;
import org.sipbridge.contract.status.CallEvent;

/**
 * One call of {@code GET /api/sessions}: the call as the SIP relay knows it joined with its media as the
 * RTP relay measures it. The Sessions page reads these names; bridge-daemon's {@code CallSessionsJsonTest} checks them.
 *
 * @param media        {@code null} when no media was set up
 * @param timeline     the SIP messages, only in the detail of one call ({@code null} in lists, which the UI polls)
 * @param phoneAddress the LAN address of the call's phone
 */
public record CallSession(
        String callId,
        String from,
        String to,
        boolean outgoing,
        String state,
        Instant started,
        Instant answered,
        Instant ended,
        long durationSec,
        CallMedia media,
        List<CallEvent> timeline,
        String phoneAddress) {}
