package org.sipbridge.daemon;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.provisioning.ProvisioningProxyService;
import org.sipbridge.sip.SipRelayService;

/**
 * When the certificates of the running services stop being valid, for the certificate-expiry alert:
 * the HTTPS provisioning listener's (phones must trust it), the SIP TLS listener's, and the earliest
 * of the provisioning upstream's pinned certificates. A service that is not running has none.
 */
final class CertificateExpiries implements Supplier<Map<String, Instant>> {

    private final Supplier<Optional<ProvisioningProxyService>> provisioning;
    private final Supplier<Optional<SipRelayService>> sip;

    CertificateExpiries(
            Supplier<Optional<ProvisioningProxyService>> provisioning, Supplier<Optional<SipRelayService>> sip) {
        this.provisioning = provisioning;
        this.sip = sip;
    }

    @Override
    public Map<String, Instant> get() {
        Map<String, Instant> expiry = new LinkedHashMap<>();
        provisioning.get().ifPresent(service -> {
            try {
                expiry.put("provisioning_https", service.listenerCertificate().notAfter());
                service.pinnedCertificates().stream()
                        .map(CertificateDetails::notAfter)
                        .min(Comparator.naturalOrder())
                        .ifPresent(earliest -> expiry.put("provisioning_upstream_pinned", earliest));
            } catch (IllegalStateException stoppedMeanwhile) {
                // stopped between the two calls (adapter change): no figures this scrape
            }
        });
        sip.get()
                .flatMap(SipRelayService::tlsCertificate)
                .ifPresent(
                        c -> expiry.put("sip_tls", c.certificate().getNotAfter().toInstant()));
        return expiry;
    }
}
