package org.sipbridge.daemon.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DailyCapEncoderTest {

    private final LoggerContext context = new LoggerContext();
    private final DailyCapEncoder encoder = new DailyCapEncoder(1000, ZoneOffset.UTC);

    DailyCapEncoderTest() {
        EscapingPatternLayout layout = new EscapingPatternLayout();
        layout.setContext(context);
        layout.setPattern("%msg%n");
        layout.start();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
    }

    private String encode(String at, String message) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("t"), Level.INFO, message, null, null);
        event.setTimeStamp(Instant.parse(at).toEpochMilli());
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void aDayTakesAtMostTheCapThenTheNextDaySaysHowManyWereDropped() {
        String line = "x".repeat(99);
        long written = 0;
        for (int i = 0; i < 100_000; i++) {
            written += encode("2026-12-04T10:00:00Z", line).length();
        }
        assertTrue(written >= 1000 && written < 1000 + 100 + 200, "bytes written in one day: " + written);
        assertEquals(100_000 - 10, encoder.droppedToday());
        String next = encode("2026-12-05T00:00:01Z", "new day");
        assertEquals(
                "[sipbridge: 99990 log lines of 2026-12-04 were dropped by the daily cap of 1000 bytes]"
                        + System.lineSeparator() + "new day" + System.lineSeparator(),
                next);
    }

    @Test
    void theLineThatReachesTheCapCarriesANote() {
        for (int i = 0; i < 9; i++) {
            encode("2026-12-04T10:00:00Z", "x".repeat(99));
        }
        String last = encode("2026-12-04T10:00:00Z", "x".repeat(99));
        assertTrue(
                last.endsWith(
                        "[sipbridge: daily log cap of 1000 bytes reached; further lines of 2026-12-04 are dropped]"
                                + System.lineSeparator()),
                last);
        assertEquals("", encode("2026-12-04T23:59:59Z", "dropped"));
    }

    @Test
    void messagesComeOutEscaped() {
        assertEquals(
                "Polycom\\x0aFORGED\\x0d\\x1b[31m\\u2028" + System.lineSeparator(),
                encode("2026-12-04T10:00:00Z", "Polycom\nFORGED\r\u001b[31m\u2028"));
    }
}
