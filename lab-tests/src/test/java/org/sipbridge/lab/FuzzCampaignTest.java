package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The campaign's count of ERROR lines: lines logged at ERROR, not escaped attack text that says "ERROR". */
class FuzzCampaignTest {

    @Test
    void countsLinesLoggedAtErrorAndNotForgedTextInsideAnInfoLine() {
        String log = String.join(
                "\n",
                "2026-12-05 00:59:27.832 INFO  [dhcp-responder-3-1] org.sipbridge.dhcp.OutcomeLog - Answered DHCPINFORM"
                        + " from 00:04:f2:e2:d2:93 (Polycom\\x0d\\x0a2026-12-04 ERROR forged line)",
                "2026-12-05 01:00:00.000 ERROR [sip-relay] org.sipbridge.sip.X - a real error",
                "Exception in thread \"x\" java.lang.IllegalStateException",
                "2026-12-05 01:00:01.000 WARN  [sip-relay] org.sipbridge.sip.X - fine");

        assertEquals(
                List.of(
                        "2026-12-05 01:00:00.000 ERROR [sip-relay] org.sipbridge.sip.X - a real error",
                        "Exception in thread \"x\" java.lang.IllegalStateException"),
                FuzzCampaign.errorLines(log));
    }
}
