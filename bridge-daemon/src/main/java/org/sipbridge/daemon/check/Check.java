package org.sipbridge.daemon.check;

import java.util.List;

/** One self-check: looks at the computer and the config and says what it found. */
interface Check {

    /** One result, or one per item (a server, a port). */
    List<CheckResult> run(CheckContext context) throws Exception;
}
