package org.sipbridge.contract.api;

import java.util.List;

/**
 * {@code GET /api/check}: one run of the self-check as Status › Self-check shows it. The daemon maps its
 * checks' results to these; bridge-daemon's {@code SelfCheckJsonTest} checks the names the page reads.
 *
 * @param passed when no check failed (warnings pass)
 * @param ranAt  ISO-8601 text
 */
public record SelfCheckReport(boolean passed, String ranAt, List<Check> checks) {

    public SelfCheckReport {
        checks = List.copyOf(checks);
    }

    /**
     * One check's outcome.
     *
     * @param status {@code PASS}, {@code WARN}, {@code FAIL} or {@code SKIP}
     * @param fix    what to do, {@code null} when there is nothing to fix
     */
    public record Check(String id, String title, String status, String detail, String fix) {}
}
