package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.Severity;
import org.sipbridge.contract.service.StartFailure;

class ServiceManagerTest {

    private final List<String> events = new ArrayList<>();

    private BridgeService service(String name, Exception startFailure, long stopMillis, List<Reason> reasons) {
        return new BridgeService() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() throws Exception {
                if (startFailure != null) {
                    throw startFailure;
                }
                events.add("start " + name);
            }

            @Override
            public void stop() {
                try {
                    Thread.sleep(stopMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("stop " + name);
            }

            @Override
            public List<Reason> reasons() {
                return reasons;
            }
        };
    }

    @Test
    void startsInOrderStopsInReverseAndReportsAFailedStart() {
        Reason warning = Reason.warning("c", "upstream unreachable", "");
        ServiceManager manager = new ServiceManager(List.of(
                new ServiceManager.Managed(service("a", null, 0, List.of()), Severity.NOT_READY, ""),
                new ServiceManager.Managed(
                        service(
                                "b",
                                new java.net.BindException("cannot listen on 0.0.0.0:67: Permission denied"),
                                0,
                                List.of()),
                        Severity.WARNING,
                        "Grant CAP_NET_BIND_SERVICE"),
                new ServiceManager.Managed(service("c", null, 0, List.of(warning)), Severity.NOT_READY, "")));
        manager.startAll();
        assertEquals(List.of("start a", "start c"), events);
        assertEquals(
                List.of(
                        new Reason(
                                Severity.WARNING,
                                "b",
                                "b could not start: cannot listen on 0.0.0.0:67: Permission denied",
                                "Grant CAP_NET_BIND_SERVICE"),
                        warning),
                manager.reasons());
        manager.stopAll(Duration.ofSeconds(2));
        assertEquals(List.of("start a", "start c", "stop c", "stop a"), events);
    }

    @Test
    void aServiceThatHangsOnStopDoesNotHoldUpTheExit() {
        ServiceManager manager = new ServiceManager(List.of(
                new ServiceManager.Managed(service("quick", null, 0, List.of()), Severity.NOT_READY, ""),
                new ServiceManager.Managed(service("stuck", null, 60_000, List.of()), Severity.NOT_READY, "")));
        manager.startAll();
        long started = System.nanoTime();
        manager.stopAll(Duration.ofMillis(500));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 2_000, "took " + tookMillis + " ms");
        assertTrue(!manager.isRunning("quick"));
    }

    @Test
    void restartStopsTheNamedServicesInReverseAndStartsThemInOrderWhileTheOthersKeepRunning() {
        boolean[] vpnAway = {false};
        BridgeService sip = new BridgeService() {
            @Override
            public String name() {
                return "sip";
            }

            @Override
            public void start() throws Exception {
                if (vpnAway[0]) {
                    throw new AdapterUnavailableException(
                            "the VPN adapter \"tun0\" cannot be used: adapter tun0 is down");
                }
                events.add("start sip");
            }

            @Override
            public void stop() {
                events.add("stop sip");
            }
        };
        ServiceManager manager = new ServiceManager(List.of(
                new ServiceManager.Managed(service("rtp", null, 0, List.of()), Severity.NOT_READY, ""),
                new ServiceManager.Managed(sip, Severity.NOT_READY, ""),
                new ServiceManager.Managed(service("web", null, 0, List.of()), Severity.WARNING, "")));
        manager.startAll();
        events.clear();

        vpnAway[0] = true;
        assertEquals(
                List.of("the VPN adapter \"tun0\" cannot be used: adapter tun0 is down"),
                manager.restart(java.util.Set.of("rtp", "sip")));
        assertEquals(List.of("stop sip", "stop rtp", "start rtp"), events);
        assertTrue(!manager.isRunning("sip") && manager.isRunning("rtp") && manager.isRunning("web"));

        events.clear();
        vpnAway[0] = false;
        assertEquals(List.of(), manager.restart(java.util.Set.of("rtp", "sip")));
        assertEquals(List.of("stop rtp", "start rtp", "start sip"), events);

        events.clear();
        manager.stopAll(Duration.ofSeconds(2));
        assertEquals(List.of("stop web", "stop sip", "stop rtp"), events, "still stopped in reverse start order");
    }

    @Test
    void wrappersReportTheWrappedServicesOwnStartFailure() {
        StartFailure rtp = StartFailure.notReady("Free the RTP ports.");
        AdapterBoundService<BridgeService> bound =
                new AdapterBoundService<>("rtp-relay", rtp, () -> null, List::of, true, (lan, vpn) -> null);
        assertEquals(rtp, bound.startFailure());
        assertEquals(rtp, new SwitchableService(bound, () -> true).startFailure());
        assertEquals(
                StartFailure.warning(""), service("other", null, 0, List.of()).startFailure());
    }

    @Test
    void aServiceThatCannotStartIsReportedWithItsOwnSeverityAndFix() {
        BridgeService relay = new BridgeService() {
            @Override
            public String name() {
                return "sip-relay";
            }

            @Override
            public void start() throws Exception {
                throw new java.net.BindException("cannot listen on 0.0.0.0:5060");
            }

            @Override
            public void stop() {}

            @Override
            public StartFailure startFailure() {
                return StartFailure.notReady("Stop the other SIP program.");
            }
        };
        // Built empty, as the daemon hands it to the status and the adapter watcher before the services exist.
        ServiceManager manager = new ServiceManager();
        assertEquals(List.of(), manager.reasons());
        manager.manage(List.of(relay));
        manager.startAll();
        assertEquals(
                List.of(new Reason(
                        Severity.NOT_READY,
                        "sip-relay",
                        "sip-relay could not start: cannot listen on 0.0.0.0:5060",
                        "Stop the other SIP program.")),
                manager.reasons());
    }
}
