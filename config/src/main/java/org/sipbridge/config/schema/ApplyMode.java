package org.sipbridge.config.schema;

/** When a changed setting takes effect. */
public enum ApplyMode {
    /** At once (timers and marks apply to new transactions and calls). */
    LIVE,
    /** After sipbridge restarts; the web UI shows such settings in red. */
    RESTART
}
