package org.sipbridge.provisioning;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.sipbridge.config.BridgeSettings;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.ResolvedAdapter;
import org.sipbridge.provisioning.admission.ListenerLimits;

/**
 * What the provisioning proxy needs to run.
 *
 * @param lanAddress          where the phone reaches the proxy (both listeners bind here only)
 * @param lanSubnet           the LAN adapter's subnet: connections from anywhere else are refused
 * @param httpPort            HTTP listener port (0: any free port, for tests)
 * @param httpsPort           HTTPS listener port (0: any free port, for tests)
 * @param vpnAddress          where connections to the upstream come from
 * @param upstream            the office provisioning server URL, or empty when not configured
 * @param dataDir             where the HTTPS certificate and the pinned upstream certificates live
 * @param suppliedCertificate IT's own HTTPS certificate, instead of the generated one
 * @param connectTimeout      name lookup plus TCP connect to the upstream, after which the phone gets 504
 * @param idleTimeout         how long either connection may stall mid-request before it is dropped
 * @param limits              connections per address and in all, idle time between requests, descriptor reserve
 */
public record ProvisioningProxyOptions(
        InetAddress lanAddress,
        Ipv4Subnet lanSubnet,
        int httpPort,
        int httpsPort,
        InetAddress vpnAddress,
        String upstream,
        Path dataDir,
        Optional<SuppliedCertificate> suppliedCertificate,
        Duration connectTimeout,
        Duration idleTimeout,
        ListenerLimits limits) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a firmware download over a slow or briefly stalled VPN. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    /** IT's HTTPS certificate: a PEM certificate chain (leaf first) and its unencrypted PEM private key. */
    public record SuppliedCertificate(Path certificatePem, Path privateKeyPem) {}

    public ProvisioningProxyOptions {
        Objects.requireNonNull(lanAddress, "lanAddress");
        Objects.requireNonNull(lanSubnet, "lanSubnet");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(vpnAddress, "vpnAddress");
        Objects.requireNonNull(dataDir, "dataDir");
        upstream = upstream == null ? "" : upstream.trim();
        Objects.requireNonNull(suppliedCertificate, "suppliedCertificate");
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || idleTimeout.isNegative()
                || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** From the configuration and the adapters the daemon resolved. */
    public static ProvisioningProxyOptions of(
            BridgeSettings bridge, ResolvedAdapter lan, ResolvedAdapter vpn, Path dataDir) {
        return new ProvisioningProxyOptions(
                Ipv4Subnet.parseAddress(lan.addressText()),
                lan.address(),
                bridge.provisioningHttpPort(),
                bridge.provisioningHttpsPort(),
                Ipv4Subnet.parseAddress(vpn.addressText()),
                bridge.provisioningUpstream(),
                dataDir,
                Optional.empty(),
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_IDLE_TIMEOUT,
                ListenerLimits.DEFAULT);
    }

    public ProvisioningProxyOptions withPorts(int http, int https) {
        return new ProvisioningProxyOptions(
                lanAddress,
                lanSubnet,
                http,
                https,
                vpnAddress,
                upstream,
                dataDir,
                suppliedCertificate,
                connectTimeout,
                idleTimeout,
                limits);
    }

    public ProvisioningProxyOptions withUpstream(String url) {
        return new ProvisioningProxyOptions(
                lanAddress,
                lanSubnet,
                httpPort,
                httpsPort,
                vpnAddress,
                url,
                dataDir,
                suppliedCertificate,
                connectTimeout,
                idleTimeout,
                limits);
    }

    public ProvisioningProxyOptions withSuppliedCertificate(Path certificatePem, Path privateKeyPem) {
        return new ProvisioningProxyOptions(
                lanAddress,
                lanSubnet,
                httpPort,
                httpsPort,
                vpnAddress,
                upstream,
                dataDir,
                Optional.of(new SuppliedCertificate(certificatePem, privateKeyPem)),
                connectTimeout,
                idleTimeout,
                limits);
    }

    public ProvisioningProxyOptions withTimeouts(Duration connect, Duration idle) {
        return new ProvisioningProxyOptions(
                lanAddress,
                lanSubnet,
                httpPort,
                httpsPort,
                vpnAddress,
                upstream,
                dataDir,
                suppliedCertificate,
                connect,
                idle,
                limits);
    }

    public ProvisioningProxyOptions withLimits(ListenerLimits newLimits) {
        return new ProvisioningProxyOptions(
                lanAddress,
                lanSubnet,
                httpPort,
                httpsPort,
                vpnAddress,
                upstream,
                dataDir,
                suppliedCertificate,
                connectTimeout,
                idleTimeout,
                newLimits);
    }

    public ProvisioningProxyOptions withLanSubnet(Ipv4Subnet subnet) {
        return new ProvisioningProxyOptions(
                lanAddress,
                subnet,
                httpPort,
                httpsPort,
                vpnAddress,
                upstream,
                dataDir,
                suppliedCertificate,
                connectTimeout,
                idleTimeout,
                limits);
    }
}
