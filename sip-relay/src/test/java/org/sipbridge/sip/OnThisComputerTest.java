package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** How the SIP relay tells that the VPN is down for new calls: its VPN address is no longer on this computer. */
class OnThisComputerTest {

    @Test
    void anAddressOfThisComputerIsFoundAndAGoneOneIsNot() throws Exception {
        assertTrue(SipRelayService.onThisComputer(InetAddress.getByName("127.0.0.1")));
        // The loopback tests' "VPN address": local, though no adapter lists it.
        assertTrue(SipRelayService.onThisComputer(InetAddress.getByName("127.0.0.3")));
        // 198.18.0.0/15 is benchmarking space: no adapter of a build machine has this address.
        assertFalse(SipRelayService.onThisComputer(InetAddress.getByName("198.19.254.253")));
    }
}
