package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.api.About;
import org.sipbridge.web.Json;

/** {@code GET /api/about} as Status › About and Configuration › Diagnostics read it. */
class AboutJsonTest {

    /** What {@code pages/status.js} ({@code about}) and {@code pages/config.js} ({@code diagnostics}) read. */
    static final List<String> READ_BY_THE_UI = List.of(
            "product", "version", "buildTime", "machineName", "runningSince", "license", "java", "os", "logDirectory");

    static About about() {
        return new About(
                "sipbridge",
                "0.1.0",
                "2026-12-05T00:00:00Z",
                "golf",
                Instant.parse("2026-12-05T01:00:00Z"),
                "Apache-2.0",
                "Eclipse Adoptium 17.0.13",
                "Linux 6.1 amd64",
                "/var/log/sipbridge");
    }

    @Test
    void theJsonIsPinned() {
        assertEquals(PINNED, Json.write(about()));
    }

    @Test
    void itHasEveryFieldThePagesRead() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Json.write(about()));

        JsonFields.assertPresent(json, READ_BY_THE_UI);
        assertEquals("2026-12-05T01:00:00Z", json.get("runningSince").asText(), "times are ISO-8601 text");
    }

    @Test
    void theDaemonFillsTheLogFolderAsAnAbsolutePath() {
        About about = AboutFacts.of(Version.current(), "golf", Instant.EPOCH, Path.of("logs"));

        assertEquals(Path.of("logs").toAbsolutePath().toString(), about.logDirectory());
        assertEquals("sipbridge", about.product());
    }

    private static final String PINNED = """
            {
              "product" : "sipbridge",
              "version" : "0.1.0",
              "buildTime" : "2026-12-05T00:00:00Z",
              "machineName" : "golf",
              "runningSince" : "2026-12-05T01:00:00Z",
              "license" : "Apache-2.0",
              "java" : "Eclipse Adoptium 17.0.13",
              "os" : "Linux 6.1 amd64",
              "logDirectory" : "/var/log/sipbridge"
            }""";
}
