package org.sipbridge.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.AdapterResolver.Resolution;

/** One adapter listing per second at most, however many DHCPINFORMs ask. */
class RecentLanAddressTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger listings = new AtomicInteger();
    private final RecentLanAddress lan = new RecentLanAddress(
            spec -> {
                listings.incrementAndGet();
                return TestConfigs.lanAt("198.18.1.2/24").resolve(spec);
            },
            nanos::get);

    @Test
    void aFloodWithinASecondCostsOneListing() {
        for (int i = 0; i < 2000; i++) {
            assertEquals("198.18.1.2", address(lan.resolve("eth1")));
            nanos.addAndGet(400_000); // 2000 packets in 0.8 s
        }
        assertEquals(1, listings.get());
    }

    @Test
    void looksAgainOnceTheAnswerIsASecondOld() {
        lan.resolve("eth1");
        nanos.addAndGet(RecentLanAddress.MAX_AGE.toNanos() - 1);
        lan.resolve("eth1");
        assertEquals(1, listings.get());

        nanos.addAndGet(1);
        lan.resolve("eth1");
        assertEquals(2, listings.get());
    }

    @Test
    void anotherAdapterSpecOrForgetLooksAgainAtOnce() {
        lan.resolve("eth1");
        lan.resolve("eth2");
        assertEquals(2, listings.get());

        lan.forget();
        lan.resolve("eth2");
        assertEquals(3, listings.get());
    }

    @Test
    void anUnreadableAdapterListIsAnUnresolvedAnswerKeptLikeAnyOther() {
        AtomicInteger attempts = new AtomicInteger();
        RecentLanAddress broken = new RecentLanAddress(
                spec -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("cannot list network adapters: boom");
                },
                nanos::get);

        Resolution first = broken.resolve("eth1");
        broken.resolve("eth1");

        assertFalse(first.resolved());
        assertEquals("cannot list network adapters: boom", first.problem());
        assertEquals(1, attempts.get());
    }

    private static String address(Resolution resolution) {
        return resolution.adapter().orElseThrow().addressText().replaceAll("/.*", "");
    }
}
