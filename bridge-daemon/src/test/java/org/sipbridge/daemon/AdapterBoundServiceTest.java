package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.persistence.ConfigFile;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.service.BridgeService;

/**
 * A service bound to the adapters follows the config it was started with: a change applied while it
 * is still starting (a central document arriving at boot, while the SIP relay makes its certificate)
 * reaches it once it runs, not only changes made after.
 */
class AdapterBoundServiceTest {

    private static final List<NetworkAdapter> ADAPTERS =
            List.of(new NetworkAdapter("eth0", "eth0", true, false, List.of(Ipv4Subnet.parse("198.18.1.1/24"))));

    @TempDir
    Path dir;

    private ConfigStore store;

    @BeforeEach
    void store() throws Exception {
        Path file = dir.resolve("sipbridge.json");
        Files.writeString(file, "{\"bridge\": {\"lanAdapter\": \"eth0\", \"servers\": [\"198.19.2.10:5060\"]}}");
        store = new ConfigStore(file, ConfigFile.loadOrCreate(file));
    }

    /** Stands for the SIP relay: reads its servers when built, and is slow to start. */
    private static final class SlowService implements BridgeService {
        final CountDownLatch starting = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile List<String> servers;

        SlowService(List<String> servers) {
            this.servers = servers;
        }

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public void start() throws InterruptedException {
            starting.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
        }

        @Override
        public void stop() {}

        void serversChanged(List<String> now) {
            servers = now;
        }
    }

    private void changeServers(String... servers) throws Exception {
        store.apply(store.current().withBridge(store.current().bridge().withServers(List.of(servers))));
    }

    @Test
    void aChangeAppliedWhileTheServiceStartsReachesItOnceItRuns() throws Exception {
        SlowService slow = new SlowService(store.current().bridge().servers());
        AdapterBoundService<SlowService> bound =
                new AdapterBoundService<>("slow", store::current, () -> ADAPTERS, false, (lan, vpn) -> slow);
        bound.follow(store, c -> c.bridge().servers(), SlowService::serversChanged);
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                bound.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(slow.starting.await(10, TimeUnit.SECONDS));

        changeServers("198.19.2.20:5060");
        slow.release.countDown();
        started.get(10, TimeUnit.SECONDS);

        assertEquals(List.of("198.19.2.20:5060"), slow.servers, "the servers applied while it was starting");
        changeServers("198.19.2.30:5060");
        assertEquals(List.of("198.19.2.30:5060"), slow.servers, "and a change after it started");
    }
}
