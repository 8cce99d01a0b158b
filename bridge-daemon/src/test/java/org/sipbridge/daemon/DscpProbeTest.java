package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sipbridge.contract.status.DscpMarking;

class DscpProbeTest {

    @Test
    void windowsIsNeverConfirmed() {
        assertEquals(DscpMarking.unconfirmed(DscpProbe.WINDOWS_REASON), DscpProbe.probe("Windows 11"));
    }

    @Test
    void linuxReadsBackTheMark() {
        // Linux keeps IP_TOS as set on a UDP socket; this is the OS the tests and the lab run on.
        assertEquals(DscpMarking.confirmed(), DscpProbe.probe("Linux"));
    }
}
