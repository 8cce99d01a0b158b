package org.sipbridge.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class LargeRequestsTest {

    private static int limitFor(int mtu) {
        return new LargeRequests(null, mtu, () -> 2000, (local, remote, timeout) -> {}, Clock.systemUTC()).limit();
    }

    @Test
    void requestsOver1300BytesOrWithin200BytesOfTheMtuAreLarge() {
        assertEquals(1300, limitFor(1500), "RFC 3261 §18.1.1: 1300 bytes on an Ethernet-sized path");
        assertEquals(1300, limitFor(-1), "an unknown MTU counts as 1500");
        assertEquals(1200, limitFor(1400), "a VPN adapter with a smaller MTU");
        assertEquals(1300, limitFor(65536), "loopback");
    }
}
