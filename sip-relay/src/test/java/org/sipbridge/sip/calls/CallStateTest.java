package org.sipbridge.sip.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.Transport;
import org.sipbridge.sip.identity.Device;

class CallStateTest {

    private static Call call() {
        return new Call(
                "c@x",
                null,
                null,
                new Device(Transport.UDP, "192.168.1.20", 5060),
                true,
                "a",
                "b",
                Instant.EPOCH,
                null,
                true);
    }

    @Test
    void aCallThatIsOverStaysOver() {
        // A 2xx after a teardown, or a retry window that fires after the BYE, must not revive a call.
        for (CallState last : new CallState[] {CallState.ENDED, CallState.FAILED}) {
            Call call = call();
            assertTrue(call.moveTo(last));
            for (CallState next : CallState.values()) {
                assertFalse(call.moveTo(next), last + " -> " + next);
            }
            assertEquals(last, call.state());
        }
    }

    @Test
    void theApiShowsOnlyItsFourDocumentedStates() {
        Set<String> shown =
                Arrays.stream(CallState.values()).map(CallState::shown).collect(Collectors.toSet());
        assertEquals(Set.of("CALLING", "RINGING", "ANSWERED", "ENDED"), shown);
        assertEquals("CALLING", CallState.CHALLENGED.shown(), "a challenged call is still being set up");
        assertEquals("ENDED", CallState.FAILED.shown(), "metrics count every state but ENDED as active");
    }

    @Test
    void onlyACallStillSettingUpMayRingFailOverOrBeAnswered() {
        Set<CallState> settingUp =
                Arrays.stream(CallState.values()).filter(CallState::isSettingUp).collect(Collectors.toSet());
        assertEquals(Set.of(CallState.INVITING, CallState.FAILING_OVER, CallState.RINGING), settingUp);
    }
}
