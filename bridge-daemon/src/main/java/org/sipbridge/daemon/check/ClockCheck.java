package org.sipbridge.daemon.check;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The clock is sane: not before this build was made, and (when the provisioning server told its
 * time) within a minute of it. A wrong clock breaks TLS certificate checks and digest nonces.
 */
final class ClockCheck implements Check {

    static final String ID = "clock";
    private static final String TITLE = "Clock";
    static final Duration MAX_SKEW = Duration.ofSeconds(60);

    private final Supplier<Optional<String>> serverDate;

    ClockCheck(Supplier<Optional<String>> serverDate) {
        this.serverDate = serverDate;
    }

    @Override
    public List<CheckResult> run(CheckContext context) {
        return List.of(decide(
                context.clock().instant(),
                parse(context.buildTime()),
                serverDate.get().flatMap(ClockCheck::httpDate)));
    }

    static CheckResult decide(Instant now, Optional<Instant> built, Optional<Instant> server) {
        String fix = "Turn on automatic time (NTP) in the computer's date and time settings.";
        if (built.isPresent() && now.isBefore(built.get())) {
            return CheckResult.fail(
                    ID,
                    TITLE,
                    "the clock says " + now + ", before this sipbridge was built (" + built.get() + ")",
                    fix);
        }
        if (server.isPresent()) {
            Duration skew = Duration.between(server.get(), now).abs();
            if (skew.compareTo(MAX_SKEW) > 0) {
                return CheckResult.warn(
                        ID, TITLE, "the clock is " + skew.toSeconds() + " s off the provisioning server's", fix);
            }
            return CheckResult.pass(ID, TITLE, "within " + skew.toSeconds() + " s of the provisioning server's clock");
        }
        return CheckResult.pass(ID, TITLE, "not before the build date (no server time to compare with)");
    }

    private static Optional<Instant> parse(String iso) {
        try {
            return iso.isBlank() ? Optional.empty() : Optional.of(Instant.parse(iso));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
