package org.sipbridge.sip.calls;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sipbridge.contract.media.MediaSession;
import org.sipbridge.contract.status.CallEvent;
import org.sipbridge.sip.identity.Device;

/**
 * A call through the bridge: its two legs, its media and its state. Every event of a call (the
 * stack's requests and responses, the Sender's no-answer deadlines, the media timeout, the retry
 * window) is handled while holding the call's lock ({@code synchronized (call)}), so its fields
 * change on one thread at a time; status requests read them without the lock (volatile fields,
 * a synchronized timeline).
 */
final class Call {

    /**
     * What identifies the caller's INVITE for RFC 3261 §8.2.2.2 (merged requests) and §22.2 (the retry with
     * credentials: same Call-ID and From tag, a higher CSeq).
     */
    record Origin(String fromTag, long cseq, String branch) {

        static Origin of(Request request) {
            String tag = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
            ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
            return new Origin(
                    tag == null ? "" : tag,
                    ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber(),
                    via == null || via.getBranch() == null ? "" : via.getBranch());
        }
    }

    /** The bridge itself in a call's timeline, between the phone and the PBX. */
    static final String BRIDGE = "bridge";

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
    /**
     * The callee leg's INVITE a 401/407 answered that went to the caller: the caller's retry with credentials
     * keeps its Call-ID, From tag and To, with the next CSeq (RFC 3261 §22.2, §8.1.3.5). Null otherwise.
     */
    volatile Request challengedInvite;
    /** Ends a challenged call nobody retried. */
    volatile Future<?> retryWindow;
    /** Written only through {@link #moveTo}, under the call's lock; read by status requests at any time. */
    private volatile CallState state = CallState.INVITING;

    volatile Instant answered;
    volatile Instant ended;
    private final List<CallEvent> timeline = new ArrayList<>();

    Call(
            String id,
            Leg lan,
            Leg vpn,
            Device lanDevice,
            boolean fromPhone,
            String from,
            String to,
            Instant started,
            MediaSession media,
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

    CallState state() {
        return state;
    }

    /** Moves to {@code next} unless the call is already over (ENDED and FAILED are final); false then. */
    boolean moveTo(CallState next) {
        if (state.isOver()) {
            return false;
        }
        state = next;
        return true;
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

    /**
     * True for requests from the PBX side ({@code device} null) and from the address of the call's LAN
     * device: knowing a dialog's Call-ID and tags must not let another LAN device hang up or re-route it.
     */
    boolean isOwnDevice(Device device) {
        return device == null || lanDevice.ip().equals(device.ip());
    }

    Leg legOn(String sideName) {
        return lan.side.name().equals(sideName) ? lan : vpn;
    }
}
