package org.sipbridge.daemon.tray;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.AdapterStatus;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;

/**
 * The real {@link StatusTray} in a process of its own (so it can use the test's X display), fed a
 * status that stdin switches: a line {@code READY} or {@code NOT_READY}. Prints {@code shown} once the
 * icon is in the tray and {@code state X} after each switch.
 */
public final class TrayHarness {

    private static volatile BridgeStatus current = status(BridgeState.NOT_READY);

    public static void main(String[] args) throws Exception {
        if (StatusTray.show(() -> current, URI.create("http://127.0.0.1:8080/"), () -> System.exit(0))
                .isEmpty()) {
            System.out.println("no tray");
            System.exit(1);
        }
        System.out.println("shown");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            current = status(BridgeState.valueOf(line.trim()));
            System.out.println("state " + current.state());
        }
        System.exit(0);
    }

    static BridgeStatus status(BridgeState state) {
        AdapterStatus none = new AdapterStatus("lan", "", "", "", "", "", false, "");
        List<Reason> reasons = state == BridgeState.READY
                ? List.of()
                : List.of(Reason.notReady("sip", "The phone has not registered with the bridge", "Check the phone."));
        return new BridgeStatus(
                state,
                reasons,
                List.of(),
                "harness",
                none,
                none,
                List.of(),
                List.of(),
                List.of(),
                "test",
                "harness",
                Instant.now());
    }
}
