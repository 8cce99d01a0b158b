package org.sipbridge.daemon.check;

import java.util.List;
import org.sipbridge.contract.api.SelfCheckReport;

/** All checks of one run; {@code passed} when none failed (warnings pass, they never stop calls). */
public record CheckReport(boolean passed, String ranAt, List<CheckResult> checks) {

    static CheckReport of(String ranAt, List<CheckResult> checks) {
        return new CheckReport(
                checks.stream().noneMatch(c -> c.status() == CheckResult.Status.FAIL), ranAt, List.copyOf(checks));
    }

    /** This report as {@code GET /api/check} answers it. */
    public SelfCheckReport api() {
        return new SelfCheckReport(
                passed,
                ranAt,
                checks.stream()
                        .map(c -> new SelfCheckReport.Check(
                                c.id(), c.title(), c.status().name(), c.detail(), c.fix()))
                        .toList());
    }
}
