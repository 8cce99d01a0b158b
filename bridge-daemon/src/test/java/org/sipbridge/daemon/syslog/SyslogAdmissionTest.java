package org.sipbridge.daemon.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.Ipv4Subnet;

class SyslogAdmissionTest {

    private static final Ipv4Subnet LAN = Ipv4Subnet.parse("198.18.1.1/24");
    private static final int PHONE = address("198.18.1.10");
    private final AtomicLong nanos = new AtomicLong();
    private final SyslogAdmission admission = new SyslogAdmission(LAN, nanos::get);

    private static int address(String dotted) {
        return Ipv4Subnet.parse(dotted + "/32").address();
    }

    @Test
    void onlyTheLanSubnetWithinTheSizeLimit() {
        assertEquals(SyslogAdmission.Verdict.OUTSIDE_LAN, admission.admit(address("198.19.2.10"), 100));
        assertEquals(SyslogAdmission.Verdict.OUTSIDE_LAN, admission.admit(address("198.18.2.10"), 100));
        assertEquals(SyslogAdmission.Verdict.TOO_LARGE, admission.admit(PHONE, 2049));
        assertEquals(SyslogAdmission.Verdict.ACCEPTED, admission.admit(PHONE, 2048));
        assertEquals(2, admission.dropped(SyslogAdmission.Verdict.OUTSIDE_LAN));
        assertEquals(1, admission.dropped(SyslogAdmission.Verdict.TOO_LARGE));
    }

    @Test
    void aSenderGetsItsBurstThenItsRate() {
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted += admission.admit(PHONE, 100) == SyslogAdmission.Verdict.ACCEPTED ? 1 : 0;
        }
        assertEquals(SyslogAdmission.BURST_PER_SENDER, accepted);
        nanos.addAndGet(1_000_000_000L); // one second later
        accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted += admission.admit(PHONE, 100) == SyslogAdmission.Verdict.ACCEPTED ? 1 : 0;
        }
        assertEquals(SyslogAdmission.PER_SENDER_PER_SECOND, accepted);
        assertEquals(
                2000 - SyslogAdmission.BURST_PER_SENDER - SyslogAdmission.PER_SENDER_PER_SECOND,
                admission.dropped(SyslogAdmission.Verdict.RATE_LIMITED));
    }

    @Test
    void manySendersTogetherStayWithinTheTotal() {
        int accepted = 0;
        for (int host = 2; host < 254; host++) {
            for (int i = 0; i < 10; i++) {
                accepted +=
                        admission.admit(address("198.18.1." + host), 100) == SyslogAdmission.Verdict.ACCEPTED ? 1 : 0;
            }
        }
        assertEquals(SyslogAdmission.TOTAL_BURST, accepted);
    }
}
