package org.sipbridge.daemon.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;

class AdapterWatcherTest {

    private static final NetworkAdapter LAN = adapter("eth0", true, "198.18.1.1/24");
    private static final NetworkAdapter VPN = adapter("tun0", true, "198.19.2.1/24");

    private final AtomicLong now = new AtomicLong(1_000);
    private List<NetworkAdapter> adapters = List.of(LAN, VPN);
    private final List<String> changes = new ArrayList<>();
    private AdapterWatcher watcher;

    private static NetworkAdapter adapter(String name, boolean up, String... addresses) {
        return new NetworkAdapter(
                name,
                name,
                up,
                false,
                List.of(addresses).stream().map(Ipv4Subnet::parse).toList());
    }

    @BeforeEach
    void startWatching() {
        watcher = new AdapterWatcher(
                () -> adapters,
                () -> "eth0",
                () -> "tun0",
                now::get,
                1500,
                (before, after) -> changes.add(AdapterWatcher.describe(before.lan(), after.lan())
                                .orElse("") + "|"
                        + AdapterWatcher.describe(before.vpn(), after.vpn()).orElse("")));
        watcher.start(); // the adapters as the services were started with
        watcher.stop(); // the test drives the polls itself
    }

    private void pollAfter(long ms) {
        now.addAndGet(ms);
        watcher.tick();
    }

    @Test
    void nothingIsReportedWhileTheAdaptersStayAsTheyWere() {
        for (int i = 0; i < 10; i++) {
            pollAfter(500);
        }
        assertEquals(List.of(), changes);
    }

    @Test
    void aVpnAdapterThatGoesDownIsReportedOnceItHasStayedDownForTheDebounceTime() {
        adapters = List.of(LAN, adapter("tun0", false, "198.19.2.1/24"));
        pollAfter(500);
        pollAfter(500);
        pollAfter(500);
        assertEquals(List.of(), changes, "reported before it was stable for 1.5 s");
        assertEquals(
                List.of("VPN adapter tun0 went down (adapter tun0 is down); rebinding when it is stable"),
                watcher.reasons().stream().map(r -> r.message()).toList(),
                "Not Ready while the change settles");
        pollAfter(500);
        assertEquals(List.of("|VPN adapter tun0 went down (adapter tun0 is down)"), changes);
        pollAfter(500);
        pollAfter(5000);
        assertEquals(1, changes.size(), "reported more than once: " + changes);
        assertEquals(List.of(), watcher.reasons());
    }

    @Test
    void aFlapShorterThanTheDebounceTimeIsIgnored() {
        adapters = List.of(LAN);
        pollAfter(500);
        pollAfter(500);
        adapters = List.of(LAN, VPN);
        pollAfter(500);
        pollAfter(3000);
        assertEquals(List.of(), changes);
    }

    @Test
    void anAdapterComingBackIsReportedAfterTheShorterReturnDebounce() {
        adapters = List.of(LAN);
        pollAfter(500);
        pollAfter(1500);
        adapters = List.of(LAN, adapter("tun0", true, "198.19.2.7/24"));
        pollAfter(500);
        pollAfter(400);
        assertEquals(1, changes.size(), "reported before it was stable for 0.5 s: " + changes);
        pollAfter(100);
        assertEquals("|VPN adapter tun0 came back with 198.19.2.7", changes.get(1));
    }

    @Test
    void theVpnComingBackAndThenChangingItsAddressAreEachReported() {
        adapters = List.of(LAN);
        pollAfter(500);
        pollAfter(1500);
        adapters = List.of(LAN, VPN);
        pollAfter(500);
        pollAfter(1500);
        adapters = List.of(LAN, adapter("tun0", true, "198.19.2.2/24"));
        pollAfter(500);
        pollAfter(1500);
        assertEquals(
                List.of(
                        "|VPN adapter tun0 went down (no adapter named tun0)",
                        "|VPN adapter tun0 came back with 198.19.2.1",
                        "|VPN adapter tun0 has a new address 198.19.2.2 (was 198.19.2.1)"),
                changes);
    }

    @Test
    void aChangeThatKeepsChangingRestartsTheDebounce() {
        adapters = List.of(LAN, adapter("tun0", true, "198.19.2.2/24"));
        pollAfter(500);
        pollAfter(1000);
        adapters = List.of(LAN, adapter("tun0", true, "198.19.2.3/24"));
        pollAfter(1000);
        pollAfter(1000);
        assertEquals(List.of(), changes, "the second address has not been stable for 1.5 s yet");
        pollAfter(1000);
        assertEquals(List.of("|VPN adapter tun0 has a new address 198.19.2.3 (was 198.19.2.1)"), changes);
    }

    @Test
    void theLanAdapterIsWatchedToo() {
        adapters = List.of(VPN);
        pollAfter(500);
        pollAfter(1500);
        assertEquals(List.of("LAN adapter eth0 went down (no adapter named eth0)|"), changes);
    }

    @Test
    void aChangedProblemWhileTheAdapterStaysUnusableIsNotAChange() {
        adapters = List.of(LAN);
        pollAfter(500);
        pollAfter(1500);
        adapters = List.of(LAN, adapter("tun0", false, "198.19.2.1/24"));
        pollAfter(500);
        pollAfter(1500);
        assertEquals(1, changes.size(), changes.toString());
    }

    @Test
    void theOutcomeSaysWhetherTheBridgeRebindsOrWaits() {
        AdapterWatcher.Seen lan = new AdapterWatcher.Seen("LAN", "eth0", "eth0", "198.18.1.1", "");
        AdapterWatcher.Seen vpnUp = new AdapterWatcher.Seen("VPN", "tun0", "tun0", "198.19.2.1", "");
        AdapterWatcher.Seen vpnDown = new AdapterWatcher.Seen("VPN", "tun0", "", "", "adapter tun0 is down");
        AdapterWatcher.Observed up = new AdapterWatcher.Observed(lan, vpnUp);
        AdapterWatcher.Observed down = new AdapterWatcher.Observed(lan, vpnDown);
        assertEquals("waiting for it (calls in progress were lost)", Rebinder.outcome(up, down, List.of()));
        assertEquals("listeners rebound", Rebinder.outcome(down, up, List.of()));
        assertEquals(
                "rebinding failed: sip-relay could not start: port taken",
                Rebinder.outcome(down, up, List.of("sip-relay could not start: port taken")));
        assertTrue(AdapterWatcher.describe(vpnUp, vpnUp).isEmpty());
        assertEquals(
                Optional.of("VPN adapter tun0 came back with 198.19.2.1"), AdapterWatcher.describe(vpnDown, vpnUp));
    }
}
