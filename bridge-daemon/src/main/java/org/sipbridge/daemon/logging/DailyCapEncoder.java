package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Writes at most {@code maxBytesPerDay} bytes of log lines per calendar day; after that, lines of the
 * same day are dropped (counted), so that a flood that gets past the repeat limit still cannot fill
 * the disk: with daily rolling and {@code retentionDays}, the log folder holds at most about
 * {@code (retentionDays + 1) * maxBytesPerDay}. The line that reaches the cap is followed by a note
 * saying so, and the first line of the next day by how many were dropped.
 *
 * <p>Done in the encoder because it sees the exact bytes written. Synchronized: logback calls
 * {@code encode} outside the appender's lock.
 */
public final class DailyCapEncoder extends LayoutWrappingEncoder<ILoggingEvent> {

    private static final byte[] NOTHING = new byte[0];

    private final long maxBytesPerDay;
    private final ZoneId zone;
    private LocalDate day;
    private long written;
    private long dropped;

    public DailyCapEncoder(long maxBytesPerDay, ZoneId zone) {
        if (maxBytesPerDay <= 0) {
            throw new IllegalArgumentException("maxBytesPerDay must be positive: " + maxBytesPerDay);
        }
        this.maxBytesPerDay = maxBytesPerDay;
        this.zone = zone;
    }

    @Override
    public synchronized byte[] encode(ILoggingEvent event) {
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
        String note = "";
        if (!today.equals(day)) {
            if (dropped > 0) {
                note = "[sipbridge: " + dropped + " log lines of " + day + " were dropped by the daily cap of "
                        + maxBytesPerDay + " bytes]" + System.lineSeparator();
            }
            day = today;
            written = 0;
            dropped = 0;
        }
        if (written >= maxBytesPerDay) {
            dropped++;
            return NOTHING;
        }
        byte[] line = (note + getLayout().doLayout(event)).getBytes(charset());
        written += line.length;
        if (written >= maxBytesPerDay) {
            String capped = "[sipbridge: daily log cap of " + maxBytesPerDay + " bytes reached; further lines of " + day
                    + " are dropped]" + System.lineSeparator();
            byte[] tail = capped.getBytes(charset());
            byte[] withNote = Arrays.copyOf(line, line.length + tail.length);
            System.arraycopy(tail, 0, withNote, line.length, tail.length);
            return withNote;
        }
        return line;
    }

    /** Lines dropped today so far. */
    public synchronized long droppedToday() {
        return dropped;
    }

    private Charset charset() {
        return getCharset() == null ? StandardCharsets.UTF_8 : getCharset();
    }
}
