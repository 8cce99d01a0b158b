package org.sipbridge.daemon.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.api.SelfCheckReport;
import org.sipbridge.web.Json;

/** {@code GET /api/check} as Status › Self-check reads it. */
class SelfCheckJsonTest {

    static SelfCheckReport report() {
        return CheckReport.of(
                        "2026-12-05T01:00:00Z",
                        List.of(
                                CheckResult.pass("clock", "Clock", "in sync"),
                                CheckResult.fail(
                                        "lan-adapter", "LAN adapter", "eth9 not found", "Choose the LAN adapter")))
                .api();
    }

    @Test
    void theJsonIsPinned() {
        assertEquals(PINNED, Json.write(report()));
    }

    @Test
    void itHasEveryFieldThePageReads() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Json.write(report()));

        for (String field : List.of("passed", "ranAt", "checks")) {
            assertTrue(json.has(field), field + " in " + json);
        }
        for (JsonNode check : json.get("checks")) {
            for (String field : List.of("id", "title", "status", "detail", "fix")) {
                assertTrue(check.has(field), field + " in " + check);
            }
        }
        assertEquals("FAIL", json.at("/checks/1/status").asText(), "the page maps PASS/WARN/FAIL/SKIP to colours");
        assertTrue(json.at("/checks/0/fix").isNull(), "no fix for a passed check");
    }

    private static final String PINNED = """
            {
              "passed" : false,
              "ranAt" : "2026-12-05T01:00:00Z",
              "checks" : [ {
                "id" : "clock",
                "title" : "Clock",
                "status" : "PASS",
                "detail" : "in sync",
                "fix" : null
              }, {
                "id" : "lan-adapter",
                "title" : "LAN adapter",
                "status" : "FAIL",
                "detail" : "eth9 not found",
                "fix" : "Choose the LAN adapter"
              } ]
            }""";
}
