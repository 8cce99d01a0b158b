package org.sipbridge.sip.calls;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.sip.identity.Device;

/**
 * The calls (INVITE sessions) the relay knows, for {@code /api/sessions}: the active ones (several
 * may share the caller's Call-ID: the branches of an INVITE the PBX forked to two phones), then the last {@value #RECENT_CALLS} ended ones. One call is one row, however many
 * INVITEs it took (a challenge and the retry with credentials continue the same call). Thread-safe.
 */
final class CallBook {

    static final int RECENT_CALLS = 50;

    private final Set<Call> active = ConcurrentHashMap.newKeySet();
    private final Deque<Call> recent = new ArrayDeque<>();

    void add(Call call) {
        active.add(call);
    }

    /** The active calls with the caller's {@code callId}. */
    List<Call> withCallId(String callId) {
        return active.stream().filter(c -> c.id.equals(callId)).toList();
    }

    /** Moves an ended call to the recent ones. */
    void archive(Call call) {
        active.remove(call);
        synchronized (recent) {
            recent.addFirst(call);
            while (recent.size() > RECENT_CALLS) {
                recent.removeLast();
            }
        }
    }

    /** The active calls now, oldest first. */
    List<Call> active() {
        return active.stream().sorted((a, b) -> a.started.compareTo(b.started)).toList();
    }

    long activeCallsOf(Device device) {
        return active.stream().filter(c -> c.lanDevice.isSameAs(device)).count();
    }

    int activeCalls() {
        return active.size();
    }

    /** Active calls, longest first, then recently ended ones. */
    List<CallStatus> statuses() {
        List<CallStatus> list = new ArrayList<>();
        active.stream()
                .sorted((a, b) -> a.started.compareTo(b.started))
                .map(CallBook::status)
                .forEach(list::add);
        synchronized (recent) {
            recent.stream().map(CallBook::status).forEach(list::add);
        }
        return list;
    }

    private static CallStatus status(Call call) {
        return new CallStatus(
                call.id,
                call.from,
                call.to,
                call.fromPhone,
                call.state().shown(),
                call.started,
                call.answered,
                call.ended,
                call.timeline(),
                call.lanDevice.ip(),
                call.media == null ? null : call.media.id());
    }
}
