package org.sipbridge.sip.calls;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sipbridge.config.status.CallStatus;
import org.sipbridge.sip.identity.Device;

/**
 * The calls (INVITE sessions) the relay knows, for {@code /api/sessions}: the active ones by the
 * caller's Call-ID, then the last {@value #RECENT_CALLS} ended ones. One call is one row, however many
 * INVITEs it took (a challenge and the retry with credentials continue the same call). Thread-safe.
 */
final class CallBook {

    static final int RECENT_CALLS = 50;

    private final Map<String, Call> active = new ConcurrentHashMap<>();
    private final Deque<Call> recent = new ArrayDeque<>();

    void add(Call call) {
        active.put(call.id, call);
    }

    /** The active call with the caller's {@code callId}, or null. */
    Call find(String callId) {
        return active.get(callId);
    }

    /** Moves an ended call to the recent ones. */
    void archive(Call call) {
        active.remove(call.id, call);
        synchronized (recent) {
            recent.addFirst(call);
            while (recent.size() > RECENT_CALLS) {
                recent.removeLast();
            }
        }
    }

    /** The active calls now, oldest first. */
    List<Call> active() {
        return active.values().stream().sorted((a, b) -> a.started.compareTo(b.started)).toList();
    }

    long activeCallsOf(Device device) {
        return active.values().stream().filter(c -> c.lanDevice.isSameAs(device)).count();
    }

    int activeCalls() {
        return active.size();
    }

    /** Active calls, longest first, then recently ended ones. */
    List<CallStatus> statuses() {
        List<CallStatus> list = new ArrayList<>();
        active.values().stream().sorted((a, b) -> a.started.compareTo(b.started)).map(CallBook::status).forEach(list::add);
        synchronized (recent) {
            recent.stream().map(CallBook::status).forEach(list::add);
        }
        return list;
    }

    private static CallStatus status(Call call) {
        return new CallStatus(call.id, call.from, call.to, call.fromPhone, call.state().shown(), call.started,
                call.answered, call.ended, call.timeline(), call.lanDevice.ip());
    }
}
