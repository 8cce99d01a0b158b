package org.sipbridge.daemon.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepeatLimitFilterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final ListAppender<ILoggingEvent> written = new ListAppender<>();
    private Logger log;

    @BeforeEach
    void context() {
        LoggerContext context = new LoggerContext();
        context.addTurboFilter(new RepeatLimitFilter(3, 60_000, now::get, (task, delay) -> {
            scheduled.add(task);
            delays.add(delay);
        }));
        written.setContext(context);
        written.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(written);
        log = context.getLogger("org.sipbridge.dhcp.OutcomeLog");
    }

    private List<String> messages() {
        return written.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFloodOfOneMessageWithVaryingArgumentsPassesOnlyTheAllowance() {
        for (int i = 0; i < 1000; i++) {
            log.info("Did not answer DHCPINFORM from {}", "00:04:f2:00:00:" + i);
        }
        assertEquals(
                List.of(
                        "Did not answer DHCPINFORM from 00:04:f2:00:00:0",
                        "Did not answer DHCPINFORM from 00:04:f2:00:00:1",
                        "Did not answer DHCPINFORM from 00:04:f2:00:00:2"),
                messages());
        assertEquals(List.of(60_000L), delays, "one summary scheduled, not one per suppressed line");
    }

    @Test
    void theSummarySaysHowManyWereSuppressedAtTheWindowsEnd() {
        for (int i = 0; i < 10; i++) {
            log.warn("bad packet from {}", i);
        }
        now.addAndGet(60_000);
        scheduled.forEach(Runnable::run);
        assertEquals(
                "7 more like this suppressed in the last 60 s: bad packet from {}",
                messages().get(3));
        assertEquals(Level.WARN, written.list.get(3).getLevel());
        log.warn("bad packet from {}", 10);
        assertEquals(5, messages().size(), "a new window lets lines through again, with no second summary");
    }

    @Test
    void aLaterEventAfterTheWindowReportsTheSuppressedCountOnce() {
        for (int i = 0; i < 5; i++) {
            log.info("x {}", i);
        }
        now.addAndGet(61_000);
        log.info("x {}", 99);
        scheduled.forEach(Runnable::run); // the timer comes late: already reported
        assertEquals(
                List.of("x 0", "x 1", "x 2", "2 more like this suppressed in the last 60 s: x {}", "x 99"), messages());
    }

    @Test
    void differentMessagesAndDisabledLevelsDoNotShareOrSpendTheAllowance() {
        for (int i = 0; i < 100; i++) {
            log.debug("not enabled {}", i);
        }
        for (int i = 0; i < 3; i++) {
            log.info("a {}", i);
            log.info("b {}", i);
        }
        log.info("c");
        assertEquals(7, messages().size(), messages().toString());
        assertEquals(List.of(), scheduled);
    }
}
