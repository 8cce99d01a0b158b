package org.sipbridge.provisioning.http;

import java.util.List;
import java.util.Optional;
import org.sipbridge.contract.service.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the last request reached the upstream, for the status page. A failure stays reported until
 * a later request gets an answer: the phone retries on its own, and so the warning clears by itself
 * once the VPN or the server is back. Provisioning problems are warnings: calls still work.
 */
public final class UpstreamHealth {

    private static final Logger log = LoggerFactory.getLogger(UpstreamHealth.class);

    private final String source;
    private final String vpnAddress;
    /** The failure and the upstream it concerned; null when the last request got an answer. */
    private volatile Failed last;

    private record Failed(UpstreamUrl upstream, UpstreamFailure failure) {}

    public UpstreamHealth(String source, String vpnAddress) {
        this.source = source;
        this.vpnAddress = vpnAddress;
    }

    public void answered() {
        Failed previous = last;
        last = null;
        if (previous != null) {
            log.info("Provisioning upstream {} answers again", previous.upstream());
        }
    }

    /** Logs a failure once, not again for every retry that fails the same way. */
    public void failed(UpstreamUrl upstream, UpstreamFailure failure) {
        Failed previous = last;
        last = new Failed(upstream, failure);
        if (previous == null || !previous.equals(last)) {
            log.warn("Provisioning upstream {} failed: {}", upstream, failure.cause());
        }
    }

    public Optional<UpstreamFailure> lastFailure() {
        Failed failed = last;
        return failed == null ? Optional.empty() : Optional.of(failed.failure());
    }

    /** The warnings for the status page, for the upstream configured now (empty when there is none). */
    public List<Reason> reasons(Optional<UpstreamUrl> configured) {
        if (configured.isEmpty()) {
            return List.of(Reason.warning(
                    source,
                    "provisioning upstream not configured",
                    "Set the provisioning upstream (Configuration › Bridge, bridge.provisioningUpstream) to the office"
                            + " provisioning server's URL, e.g. https://prov.example.com/polycom/."));
        }
        Failed failed = last;
        if (failed == null || !failed.upstream().equals(configured.get())) {
            return List.of();
        }
        UpstreamFailure failure = failed.failure();
        String upstream = failed.upstream().text();
        return List.of(
                switch (failure.kind()) {
                    case UNTRUSTED_CERTIFICATE ->
                        Reason.warning(
                                source,
                                "provisioning upstream " + upstream
                                        + " presented a certificate the bridge does not trust: " + failure.cause(),
                                "Check the certificate under Status › Certificates and choose Trust if it is the office server's;"
                                        + " otherwise fix the upstream URL or the server's certificate.");
                    case NAME_RESOLUTION ->
                        Reason.warning(
                                source,
                                "provisioning upstream " + upstream + " cannot be found: " + failure.cause(),
                                "Check that the VPN is connected and its DNS servers are in use, and that the URL's host name is right.");
                    default ->
                        Reason.warning(
                                source,
                                "provisioning upstream " + upstream + " unreachable from " + vpnAddress + ": "
                                        + failure.cause(),
                                "Check that the VPN is connected and that the provisioning server is up; the phone keeps its"
                                        + " current configuration meanwhile.");
                });
    }
}
