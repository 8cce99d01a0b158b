package org.sipbridge.sip.calls;

/**
 * Where a call is. Every change goes through {@link Call#moveTo}, under the call's lock; ENDED and FAILED
 * are final, so a late event (a 2xx after a teardown, a timer that fires after the BYE) cannot revive a call.
 */
enum CallState {
    /** The bridge's INVITE is out to the callee, no provisional answer yet. */
    INVITING,
    /** The callee answered 401/407 and the caller got it: its retry with credentials continues this call. */
    CHALLENGED,
    /** The server failed (silence, 5xx) before any provisional answer: the INVITE moves to the next server. */
    FAILING_OVER,
    RINGING,
    ANSWERED,
    /** The caller cancelled; the callee's answer to the CANCEL (487, or a racing 2xx) is awaited. */
    CANCELLING,
    /** A BYE is relayed; its answer ends the call. */
    ENDING,
    ENDED,
    /** Ended by the bridge because it could not go on (a message it could not relay, media gone). */
    FAILED;

    boolean isOver() {
        return this == ENDED || this == FAILED;
    }

    /** Still setting up the call on the callee's side (no 2xx yet), and not cancelled. */
    boolean isSettingUp() {
        return this == INVITING || this == FAILING_OVER || this == RINGING;
    }

    /** The state as {@code /api/sessions} names it (docs/api.md): CALLING, RINGING, ANSWERED or ENDED. */
    String shown() {
        return switch (this) {
            case INVITING, CHALLENGED, FAILING_OVER, CANCELLING -> "CALLING";
            case RINGING -> "RINGING";
            case ANSWERED, ENDING -> "ANSWERED";
            case ENDED, FAILED -> "ENDED";
        };
    }
}
