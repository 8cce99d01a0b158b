package org.sipbridge.lab;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the OpenVPN lab tests: one {@link OpenVpnLab} (client with {@code passtos}), Kamailio, the
 * bridge and the phone registered through it for the whole class. A subclass starts it from its own
 * {@code @BeforeAll} with {@link #startLab(String)}.
 */
abstract class OpenVpnCallTest {

    static OpenVpnLab vpn;
    static LabCall setup;
    static LabNetwork lab;
    static BridgeDaemon daemon;

    @TempDir
    static Path dir;

    /** The lab under the namespace prefix {@code letters} + pid. */
    static void startLab(String letters) throws Exception {
        startLab(letters, null);
    }

    /** As {@link #startLab(String)}, the tunnel through an impairment relay when {@code impairment} is not null. */
    static void startLab(String letters, OpenVpnLab.Impairment impairment) throws Exception {
        vpn = OpenVpnLab.up(letters, dir, true, impairment);
        setup = LabCall.registeredPhone(vpn.network(), vpn, dir, "");
        lab = setup.lab;
        daemon = setup.daemon;
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (setup != null) {
            setup.close();
            setup = null;
        }
    }
}
