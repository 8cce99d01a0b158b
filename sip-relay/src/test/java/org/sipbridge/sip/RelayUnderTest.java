package org.sipbridge.sip;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of loopback tests that start one relay: a data folder for it, and stopping it afterwards. */
public abstract class RelayUnderTest {

    @TempDir
    protected Path dataDir;

    protected SipRelayService relay;

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.stop();
        }
    }
}
