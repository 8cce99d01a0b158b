package org.sipbridge.sip.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.contract.status.ServerStatus;

class RegistrationGroupTest {

    private static final ServerAddress A = ServerAddress.parse("198.19.2.10");
    private static final ServerAddress B = ServerAddress.parse("198.19.2.11:5080");
    private static final ServerAddress C = ServerAddress.parse("pbx3.example.com");
    private final RegistrationGroup group =
            new RegistrationGroup(List.of(A, B, C), Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC));

    @Test
    void failsOverInOrderAndFailsBackWhenTheFirstAnswers() {
        assertEquals(Optional.of(A), group.current());
        group.failed(A, "no answer");
        assertEquals(Optional.of(B), group.current());
        group.failed(B, "503 Service Unavailable");
        assertEquals(Optional.of(C), group.current());
        assertEquals(
                List.of("198.19.2.10:5060: no answer", "198.19.2.11:5080: 503 Service Unavailable"), group.problems());
        group.probed(A, 12);
        assertEquals(Optional.of(A), group.current());
        group.failed(C, "x");
        assertEquals(Optional.of(C), group.after(B).or(() -> Optional.of(C)));
        assertEquals(Optional.empty(), group.after(C));
    }

    /** Calls and registrations fail over through this one rule. */
    @Test
    void aFailedRequestGoesToTheCurrentServerElseTheNextLiveOneNeverToOneItTried() {
        group.probed(A, 10);
        group.probed(B, 10);
        assertEquals(Optional.of(B), group.failoverTarget(A, List.of(A)), "A is current but was tried: the next one");
        group.failed(B, "no answer to OPTIONS");
        assertEquals(Optional.of(C), group.failoverTarget(A, List.of(A)), "B is down: passed over");
        assertEquals(Optional.of(A), group.failoverTarget(C, List.of(C)), "fails back to the current server");
        assertEquals(Optional.empty(), group.failoverTarget(C, List.of(A, C)), "none left: the request is answered");
    }

    @Test
    void aSuspectServerStaysUpAndIsPassedOverOnlyUntilItsProbeAnswers() {
        List<ServerAddress> probed = new java.util.ArrayList<>();
        group.whenSuspect(probed::add);
        group.probed(A, 10);
        group.probed(B, 10);
        group.suspect(A, "no answer to a REGISTER");
        assertEquals(List.of(A), probed, "a probe is asked for at once");
        assertEquals(
                ServerStatus.ServerState.UP, group.snapshot().get(0).state(), "one unanswered request is not down");
        assertEquals(Optional.of(B), group.current(), "new requests do not wait for the same silence");
        group.probed(A, 12);
        assertEquals(Optional.of(A), group.current(), "the probe answered: back to the first server");
        group.suspect(A, "503");
        group.suspect(B, "503");
        group.failed(C, "x");
        assertEquals(Optional.of(A), group.current(), "when every live server is suspect, the first is still used");
    }

    @Test
    void aNewBridgeAddressForgetsTheDownMarksOfTheOutage() {
        group.probed(B, 10);
        group.failed(A, "no answer to OPTIONS: could not send");
        group.failed(C, "no answer to OPTIONS: could not send");
        group.suspect(B, "no answer to a REGISTER");
        group.bridgeAddressChanged();
        assertEquals(Optional.of(A), group.current(), "the first server gets the renewed registrations");
        assertEquals(
                List.of(
                        ServerStatus.ServerState.UNKNOWN,
                        ServerStatus.ServerState.UP,
                        ServerStatus.ServerState.UNKNOWN),
                group.snapshot().stream().map(ServerStatus::state).toList());
    }

    @Test
    void allDownMeansNoServer() {
        group.failed(A, "x");
        group.failed(B, "x");
        group.failed(C, "x");
        assertTrue(group.current().isEmpty());
    }

    @Test
    void snapshotReportsStateRttAndTheCurrentServer() {
        group.probed(A, 42);
        group.failed(B, "x");
        List<ServerStatus> snapshot = group.snapshot();
        assertEquals(
                new ServerStatus(
                        "198.19.2.10:5060",
                        ServerStatus.ServerState.UP,
                        true,
                        Instant.parse("2026-11-22T08:00:00Z"),
                        42),
                snapshot.get(0));
        assertEquals(ServerStatus.ServerState.DOWN, snapshot.get(1).state());
        assertEquals(ServerStatus.ServerState.UNKNOWN, snapshot.get(2).state());
        assertEquals(Optional.of(B), group.byHostPort("198.19.2.11", 5080));
    }

    @Test
    void aChangedListKeepsWhatIsKnownOfServersThatStay() {
        group.failed(B, "x");
        group.replaceServers(List.of(C, B));
        assertEquals(List.of(C, B), group.servers());
        assertEquals(ServerStatus.ServerState.DOWN, group.snapshot().get(1).state());
        assertEquals(Optional.of(C), group.current());
    }
}
