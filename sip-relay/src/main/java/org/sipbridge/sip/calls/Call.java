package org.sipbridge.sip.calls;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import org.sipbridge.config.media.MediaSession;
import org.sipbridge.config.status.CallEvent;
import org.sipbridge.sip.identity.Device;

/**
 * A call through the bridge: its two legs and its media. Mutable fields are written by the SIP
 * stack's event thread (the listener is not re-entrant) and read by status requests.
 */
final class Call {

    enum State {
        CALLING, RINGING, ANSWERED, ENDED,
        /** The callee answered 401/407 and the caller got it: its retry with credentials continues this call. */
        CHALLENGED;

        /** The state as {@code /api/sessions} names it (docs/api.md): a challenged call is still calling. */
        String shown() {
            return this == CHALLENGED ? CALLING.name() : name();
        }
    }

    /**
     * What identifies the caller's INVITE for RFC 3261 §8.2.2.2 (merged requests) and §22.2 (the retry with
     * credentials: same Call-ID and From tag, a higher CSeq).
     */
    record Origin(String fromTag, long cseq, String branch) {
    }

    /** Enough for a long call with holds and transfers; a flood of re-INVITEs keeps only the first. */
    static final int TIMELINE_LIMIT = 100;

    final String id;
    final Leg lan;
    final Leg vpn;
    /** The LAN device of the call: the caller, or the device whose binding the PBX called. */
    final Device lanDevice;
    final boolean fromPhone;
    final String from;
    final String to;
    final Instant started;
    /** Null for requests without media (SUBSCRIBE, MESSAGE…): only INVITE sessions are calls. */
    final MediaSession media;
    /** SUBSCRIBE and REFER create dialogs too; MESSAGE, OPTIONS and the like do not. */
    final boolean createsDialog;
    /** The caller's INVITE until it gets a final answer. */
    volatile ServerTransaction callerInvite;
    /** The bridge's INVITE to the callee until it gets a final answer. */
    volatile ClientTransaction calleeInvite;
    /** The caller's latest initial INVITE (changes when a challenged call is retried). */
    volatile Origin origin;
    /** Ends a challenged call nobody retried. */
    volatile java.util.concurrent.Future<?> retryWindow;
    volatile boolean canceled;
    volatile State state = State.CALLING;
    volatile Instant answered;
    volatile Instant ended;
    private final List<CallEvent> timeline = new ArrayList<>();

    Call(String id, Leg lan, Leg vpn, Device lanDevice, boolean fromPhone, String from, String to, Instant started, MediaSession media,
         boolean createsDialog) {
        this.createsDialog = createsDialog;
        this.id = id;
        this.lan = lan;
        this.vpn = vpn;
        this.lanDevice = lanDevice;
        this.fromPhone = fromPhone;
        this.from = from;
        this.to = to;
        this.started = started;
        this.media = media;
    }

    /** Adds a step to the timeline ({@code from}/{@code to}: a leg's party name or "bridge"). */
    void note(Clock clock, String from, String to, String message) {
        synchronized (timeline) {
            if (timeline.size() < TIMELINE_LIMIT) {
                timeline.add(new CallEvent(clock.instant(), from, to, message));
            }
        }
    }

    List<CallEvent> timeline() {
        synchronized (timeline) {
            return List.copyOf(timeline);
        }
    }

    boolean isCall() {
        return media != null;
    }

    Leg caller() {
        return fromPhone ? lan : vpn;
    }

    Leg callee() {
        return fromPhone ? vpn : lan;
    }

    Leg other(Leg leg) {
        return leg == lan ? vpn : lan;
    }

    Leg legOn(String sideName) {
        return lan.side.name().equals(sideName) ? lan : vpn;
    }
}
