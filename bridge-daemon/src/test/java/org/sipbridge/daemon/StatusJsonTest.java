package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.AdapterStatus;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.web.Json;

/**
 * {@code GET /api/status} as the pages read it: a real {@link BridgeStatus} written by the API's own
 * {@link Json} has every field that {@code app.js}, {@code pages/status.js} and {@code pages/config.js}
 * read. A renamed record component fails here, not only in a root-only lab test.
 */
class StatusJsonTest {

    /** The fields the pages read (grep the assets for {@code status.} and {@code answer.body.}). */
    static final List<String> READ_BY_THE_UI = List.of(
            "state",
            "bridgeName",
            "reasons[].message",
            "reasons[].fix",
            "warnings[].message",
            "warnings[].fix",
            "pendingRestart",
            "lanAdapter.role",
            "lanAdapter.resolved",
            "lanAdapter.displayName",
            "lanAdapter.name",
            "lanAdapter.spec",
            "lanAdapter.address",
            "lanAdapter.subnet",
            "lanAdapter.problem",
            "vpnAdapter.role",
            "vpnAdapter.resolved",
            "servers[].address",
            "servers[].state",
            "servers[].current",
            "servers[].lastResponse",
            "servers[].optionsRttMs",
            "registrations[].aor",
            "registrations[].phoneContact",
            "registrations[].expiresInSec",
            "registrations[].server",
            "version",
            "machineName",
            "runningSince");

    @Test
    void aRealStatusHasEveryFieldThePagesRead() throws Exception {
        BridgeStatus status = new BridgeStatus(
                BridgeState.NOT_READY,
                List.of(Reason.notReady("sip", "The phone has not registered with the bridge", "Check the phone")),
                List.of(Reason.warning("provisioning", "Upstream unreachable", "Check the URL")),
                "Desk",
                new AdapterStatus("lan", "eth0", "eth0", "Ethernet", "198.18.1.1", "198.18.1.0/24", true, null),
                new AdapterStatus("vpn", "tun9", null, null, null, null, false, "no adapter named tun9"),
                List.of(new ServerStatus(
                        "198.19.2.10:5060",
                        ServerStatus.ServerState.UP,
                        true,
                        Instant.parse("2026-11-22T08:00:00Z"),
                        12)),
                List.of(new RegistrationStatus("sip:1001@pbx", "sip:1001@198.18.1.10:5060", 3600, "198.19.2.10:5060")),
                List.of("web.port"),
                "1.2.3",
                "golf",
                Instant.parse("2026-11-22T07:00:00Z"));

        JsonNode json = new ObjectMapper().readTree(Json.write(status));

        JsonFields.assertPresent(json, READ_BY_THE_UI);
        assertEquals("NOT_READY", json.get("state").asText(), "the pill compares the state's name");
        assertEquals("UP", json.at("/servers/0/state").asText(), "the servers table compares the state's name");
        assertEquals("2026-11-22T08:00:00Z", json.at("/servers/0/lastResponse").asText(), "times are ISO-8601 text");
        assertTrue(json.get("pendingRestart").isArray());
    }
}
