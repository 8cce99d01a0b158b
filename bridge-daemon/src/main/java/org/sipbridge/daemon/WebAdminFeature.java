package org.sipbridge.daemon;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.sipbridge.config.WebSettings;
import org.sipbridge.contract.api.About;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.tls.ListenerCertificate;
import org.sipbridge.daemon.check.SelfCheck;
import org.sipbridge.daemon.management.CentralConfigService;
import org.sipbridge.web.AdminSources;
import org.sipbridge.web.WebAdminServer;
import org.sipbridge.web.metrics.Metrics;

/**
 * The web UI and its API: the local server on {@code web.*}, fed by every other feature, and the same UI
 * over HTTPS on the VPN adapter at {@code bridge.listenPort} (remote administration), only while a login is
 * set.
 */
final class WebAdminFeature {

    /** What the pages read, from the other features. */
    record Sources(
            Supplier<BridgeStatus> status,
            Supplier<About> about,
            ProvisioningFeature provisioning,
            DhcpFeature dhcp,
            SipFeature sip,
            CallsAndPhonesFeature callsAndPhones,
            CentralConfigService central,
            Metrics metrics) {}

    private final WebAdminServer server;
    private final SwitchableService remote;

    WebAdminFeature(DaemonContext context, WebSettings settings, Version version, Sources sources) {
        server = new WebAdminServer(
                        settings,
                        sources.status(),
                        () -> sources.provisioning().status(sources.dhcp().stats()),
                        sources.provisioning().certificates(),
                        sources.callsAndPhones().sessions())
                .withPhones(sources.callsAndPhones().phones())
                .withAdmin(new AdminSources(
                        context.store(),
                        context.adapters(),
                        sources.about(),
                        sources.sip().connection(),
                        new SipTlsFacts(
                                sources.sip().service()::running,
                                () -> context.store().current().protocols().tls())))
                .withSelfCheck(() -> new SelfCheck(
                                context.store()::current,
                                context.adapters(),
                                DscpProbe::probe,
                                version.buildTime(),
                                context.clock())
                        .run(true)
                        .api())
                .withManagement(sources.central())
                .withMetrics(sources.metrics())
                .withWorker(context.httpWorker());
        remote = new SwitchableService(
                context.onAdapters(
                        "remote-admin",
                        WebAdminServer.REMOTE_START_FAILURE,
                        true,
                        (lan, vpn) -> remoteAdmin(
                                server,
                                lan,
                                vpn,
                                context.store().current().bridge().listenPort(),
                                context)),
                () -> context.store().current().admin().hasCredentials());
        context.store().subscribe(c -> c.admin().hasCredentials(), on -> remote.apply());
    }

    /** The local web UI. */
    WebAdminServer server() {
        return server;
    }

    /** Remote administration, as the service manager runs it: only while a login is set. */
    SwitchableService remote() {
        return remote;
    }

    /** The web UI over HTTPS on the VPN address, refusing every LAN source. */
    private static BridgeService remoteAdmin(
            WebAdminServer web, ResolvedAdapter lan, ResolvedAdapter vpn, int port, DaemonContext context)
            throws Exception {
        InetAddress address = Ipv4Subnet.parseAddress(vpn.addressText());
        // Linux also accepts packets for the VPN address on the LAN interface: refuse every LAN source.
        Predicate<InetAddress> fromLan = source -> source instanceof Inet4Address v4
                && lan.adapter().ipv4().stream()
                        .anyMatch(
                                subnet -> subnet.contains(Ipv4Subnet.of(v4, 32).address()));
        return web.remote(
                address,
                port,
                ListenerCertificate.generated(
                                context.dataDir(),
                                "remote-admin",
                                "remote administration",
                                List.of(address),
                                context.clock())
                        .serverContext(),
                fromLan);
    }
}
