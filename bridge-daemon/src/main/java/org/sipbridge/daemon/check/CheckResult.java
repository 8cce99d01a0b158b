package org.sipbridge.daemon.check;

/** One check's outcome in plain words, with the fix when there is a problem. */
public record CheckResult(String id, String title, Status status, String detail, String fix) {

    public enum Status {
        PASS,
        WARN,
        FAIL,
        SKIP
    }

    static CheckResult pass(String id, String title, String detail) {
        return new CheckResult(id, title, Status.PASS, detail, null);
    }

    static CheckResult warn(String id, String title, String detail, String fix) {
        return new CheckResult(id, title, Status.WARN, detail, fix);
    }

    static CheckResult fail(String id, String title, String detail, String fix) {
        return new CheckResult(id, title, Status.FAIL, detail, fix);
    }

    static CheckResult skip(String id, String title, String detail) {
        return new CheckResult(id, title, Status.SKIP, detail, null);
    }
}
