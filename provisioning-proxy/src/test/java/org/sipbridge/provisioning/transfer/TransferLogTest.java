package org.sipbridge.provisioning.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

class TransferLogTest {

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-11-22T09:00:00Z"), ZoneOffset.UTC);
    private final TransferLog log = new TransferLog(clock);

    @Test
    void aRunningDownloadShowsProgressAndRate() {
        LiveTransfer firmware = log.begin("GET", "/3111-40450-001.sip.ld", Transfer.Direction.DOWNLOAD, -1);
        firmware.responding(200, 40_000_000);
        clock.add(Duration.ofSeconds(4));
        firmware.moved(10_000_000);

        Transfer shown = log.snapshot().get(0);

        assertEquals("/3111-40450-001.sip.ld", shown.path());
        assertEquals(200, shown.status());
        assertEquals(10_000_000, shown.bytes());
        assertEquals(40_000_000, shown.totalBytes());
        assertEquals(2_500_000, shown.bytesPerSecond());
        assertEquals(Duration.ofSeconds(4), shown.duration());
        assertFalse(shown.finished());
    }

    @Test
    void anUploadCountsAgainstTheAnnouncedRequestSize() {
        LiveTransfer upload = log.begin("PUT", "/0004f2aabbcc-app.log", Transfer.Direction.UPLOAD, 5000);
        upload.responding(201, 0);
        upload.moved(5000);
        upload.finish(201);

        Transfer shown = log.snapshot().get(0);

        assertEquals(5000, shown.totalBytes());
        assertTrue(shown.finished());
        assertFalse(shown.incomplete());
    }

    @Test
    void snapshotsDoNotChangeAfterwards() {
        LiveTransfer transfer = log.begin("GET", "/a.cfg", Transfer.Direction.DOWNLOAD, -1);
        List<Transfer> before = log.snapshot();
        transfer.moved(100);
        transfer.finish(200);

        assertEquals(0, before.get(0).bytes());
        assertFalse(before.get(0).finished());
        assertThrows(UnsupportedOperationException.class, () -> before.add(before.get(0)));
    }

    @Test
    void keepsTheLastFiftyFinishedForTenMinutes() {
        for (int i = 0; i < 60; i++) {
            LiveTransfer transfer = log.begin("GET", "/" + i + ".cfg", Transfer.Direction.DOWNLOAD, -1);
            transfer.finish(200);
            clock.add(Duration.ofSeconds(1));
        }
        LiveTransfer running = log.begin("GET", "/running.cfg", Transfer.Direction.DOWNLOAD, -1);

        List<Transfer> shown = log.snapshot();
        assertEquals(51, shown.size());
        assertEquals("/running.cfg", shown.get(0).path());
        assertEquals("/59.cfg", shown.get(1).path());
        assertEquals("/10.cfg", shown.get(50).path());

        clock.add(Duration.ofMinutes(10).minusSeconds(20));
        // now = start + 640 s: transfers 40..59 finished within the last 10 minutes
        assertEquals(1 + 20, log.snapshot().size(), "those finished more than 10 minutes ago are gone");
        clock.add(Duration.ofHours(1));
        assertEquals(
                List.of("/running.cfg"),
                log.snapshot().stream().map(Transfer::path).toList(),
                "a running transfer stays however long it takes");
        running.finish(200);
    }

    @Test
    void aShortDownloadIsIncomplete() {
        LiveTransfer transfer = log.begin("GET", "/fw.sip.ld", Transfer.Direction.DOWNLOAD, -1);
        transfer.responding(200, 1000);
        transfer.moved(400);
        transfer.finish(200);

        assertTrue(log.snapshot().get(0).incomplete());
    }
}
