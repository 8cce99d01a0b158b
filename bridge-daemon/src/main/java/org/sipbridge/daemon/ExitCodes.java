package org.sipbridge.daemon;

/** The process exit codes scripts rely on. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    /** Bad usage or a bad config: the message names the key and the problem. */
    static final int BAD_CONFIG = 2;
    /** Another sipbridge already runs on this computer. */
    static final int ALREADY_RUNNING = 3;

    private ExitCodes() {}
}
