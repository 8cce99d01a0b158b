package org.sipbridge.provisioning.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.service.Reason;

/** After a LAN address change, the phones told the old address are named as needing to provision again. */
class PhoneConfigStatusTest {

    private static final InjectionSettings ON = new InjectionSettings(true, Transport.TCP, 8060, false, 514);

    @Test
    void phonesToldTheOldAddressMustProvisionAgain() {
        ProvisionedPhones phones =
                new ProvisionedPhones(Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC));
        phones.served("0004f2aabbcc", "198.18.1.1");
        phones.served("0004f2ddeeff", "198.18.1.2");

        PhoneConfigStatus before = PhoneConfigStatus.of(ON, Optional.of("198.18.1.1"), phones);
        PhoneConfigStatus after = PhoneConfigStatus.of(ON, Optional.of("198.18.1.2"), phones);

        assertEquals(
                List.of("0004f2ddeeff"),
                before.mustProvision().stream()
                        .map(ProvisionedPhones.Served::mac)
                        .toList());
        assertEquals("198.18.1.2:8060", after.outboundProxy());
        assertEquals("TCPOnly", after.transport());
        Reason warning = after.warning("provisioning-proxy").orElseThrow();
        assertEquals(
                Reason.warning(
                        "provisioning-proxy",
                        "1 phone(s) were given the bridge's old LAN address 198.18.1.1 "
                                + "as outbound proxy; the bridge is now at 198.18.1.2:8060",
                        "Restart them so they provision again and learn the new address: 0004f2aabbcc"),
                warning);
    }

    @Test
    void noPhoneServedNoWarning() {
        PhoneConfigStatus status =
                PhoneConfigStatus.of(ON, Optional.of("198.18.1.1"), new ProvisionedPhones(Clock.systemUTC()));

        assertTrue(status.warning("provisioning-proxy").isEmpty());
        assertTrue(status.phones().isEmpty());
    }

    @Test
    void theNumberOfPhonesRememberedIsBounded() {
        ProvisionedPhones phones = new ProvisionedPhones(Clock.systemUTC());
        for (int i = 0; i < ProvisionedPhones.LIMIT + 10; i++) {
            phones.served(String.format("%012x", i), "198.18.1.1");
        }
        assertEquals(ProvisionedPhones.LIMIT, phones.all().size());
    }
}
