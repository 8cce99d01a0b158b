package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.DiagnosticsSettings;
import org.sipbridge.daemon.logging.DailyCapEncoder;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    @TempDir
    Path dir;

    private LogSetup setup;

    @AfterEach
    void reset() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).reset();
    }

    private TimeBasedRollingPolicy<?> policy() {
        return (TimeBasedRollingPolicy<?>) setup.fileAppender().getRollingPolicy();
    }

    @Test
    void writesADailyCompressedFileKeptForTheRetentionDays() throws Exception {
        setup = LogSetup.start(dir, DiagnosticsSettings.defaults(), false);
        LoggerFactory.getLogger("org.sipbridge.sip.Test").info("hello from sip");
        assertTrue(Files.readString(dir.resolve("sipbridge.log"))
                .contains("INFO  [main] org.sipbridge.sip.Test - hello from sip"));
        assertEquals(dir.resolve("sipbridge.%d{yyyy-MM-dd}.log.gz").toString(), policy().getFileNamePattern());
        assertEquals(7, policy().getMaxHistory());
    }

    @Test
    void traceLevelsRetentionAndCompressionApplyLive() throws Exception {
        setup = LogSetup.start(dir, DiagnosticsSettings.defaults(), false);
        LoggerFactory.getLogger("org.sipbridge.rtp.Test").debug("hidden");
        setup.apply(new DiagnosticsSettings(false, 514, 3, false, Map.of("rtp", "DEBUG", "sip", "WARN")));
        LoggerFactory.getLogger("org.sipbridge.rtp.Test").debug("shown");
        LoggerFactory.getLogger("org.sipbridge.sip.Test").info("hidden too");
        String log = Files.readString(dir.resolve("sipbridge.log"));
        assertTrue(log.contains("shown") && !log.contains("hidden"), log);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertEquals(Level.DEBUG, context.getLogger("org.sipbridge.rtp").getLevel());
        assertEquals(3, policy().getMaxHistory());
        assertEquals(dir.resolve("sipbridge.%d{yyyy-MM-dd}.log").toString(), policy().getFileNamePattern());
    }

    @Test
    void aNewlineFromTheNetworkCannotForgeALogLine() throws Exception {
        setup = LogSetup.start(dir, DiagnosticsSettings.defaults(), false);
        LoggerFactory.getLogger("org.sipbridge.dhcp.OutcomeLog")
                .info(
                        "Answered DHCPINFORM from {} ({})",
                        "00:04:f2:aa:bb:cc",
                        "Polycom\n2026-12-04 12:00:00.000 ERROR [main] org.sipbridge.Forged - FORGED");
        List<String> lines = Files.readAllLines(dir.resolve("sipbridge.log"));
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(
                lines.get(0)
                        .endsWith("(Polycom\\x0a2026-12-04 12:00:00.000 ERROR [main] org.sipbridge.Forged - FORGED)"),
                lines.get(0));
    }

    @Test
    void anExceptionMessageCannotForgeALogLineButTheStackTraceKeepsItsLines() throws Exception {
        setup = LogSetup.start(dir, DiagnosticsSettings.defaults(), false);
        Exception parse = new IllegalArgumentException(
                "unexpected header near 'x\r\n2026-12-04 12:00:00.000 ERROR FORGED'",
                new IllegalStateException("cause\nFORGED too"));
        LoggerFactory.getLogger("org.sipbridge.sip.Test").warn("Could not parse a request", parse);
        List<String> lines = Files.readAllLines(dir.resolve("sipbridge.log"));
        assertTrue(
                lines.stream()
                        .noneMatch(line -> line.startsWith("2026-12-04 12:00:00.000") || line.startsWith("FORGED")),
                String.join("\n", lines));
        assertTrue(
                lines.contains(
                        "java.lang.IllegalArgumentException: unexpected header near 'x\\x0d\\x0a2026-12-04 12:00:00.000 "
                                + "ERROR FORGED'"),
                String.join("\n", lines));
        assertTrue(
                lines.contains("Caused by: java.lang.IllegalStateException: cause\\x0aFORGED too"),
                String.join("\n", lines));
        assertTrue(
                lines.stream().anyMatch(line -> line.startsWith("\tat org.sipbridge.daemon.LogSetupTest")),
                "frames stay lines");
    }

    @Test
    void aRepeatedMessageIsLimitedAndTheFileIsCappedPerDay() throws Exception {
        setup = LogSetup.start(dir, DiagnosticsSettings.defaults(), false);
        for (int i = 0; i < 1000; i++) {
            LoggerFactory.getLogger("org.sipbridge.dhcp.OutcomeLog").info("Did not answer DHCPINFORM from {}", i);
        }
        assertEquals(
                LogSetup.REPEATS_ALLOWED,
                Files.readAllLines(dir.resolve("sipbridge.log")).size());
        assertTrue(setup.fileAppender().getEncoder() instanceof DailyCapEncoder);
    }

    @Test
    void theLogFolderAndFilesAreOwnerOnly() throws Exception {
        Path logs = dir.resolve("data/logs");
        setup = LogSetup.start(logs, DiagnosticsSettings.defaults(), false);
        LoggerFactory.getLogger(LogSetup.SYSLOG_LOGGER).info("a phone's line");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(logs.resolve("sipbridge.log"))));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs.resolve("syslog.log"))));
    }
}
