package org.sipbridge.daemon.check;

import java.util.List;

/** All checks of one run; {@code passed} when none failed (warnings pass, they never stop calls). */
public record CheckReport(boolean passed, String ranAt, List<CheckResult> checks) {

    static CheckReport of(String ranAt, List<CheckResult> checks) {
        return new CheckReport(
                checks.stream().noneMatch(c -> c.status() == CheckResult.Status.FAIL), ranAt, List.copyOf(checks));
    }
}
