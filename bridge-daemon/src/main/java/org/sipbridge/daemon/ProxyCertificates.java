package org.sipbridge.daemon;

import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.contract.tls.CertificateDetails;
import org.sipbridge.contract.tls.UntrustedChain;
import org.sipbridge.provisioning.ProvisioningProxyService;
import org.sipbridge.web.UpstreamCertificates;

/** The web UI's view of the provisioning proxy's untrusted upstream certificate. */
final class ProxyCertificates implements UpstreamCertificates {

    private final Supplier<Optional<ProvisioningProxyService>> proxy;

    ProxyCertificates(Supplier<Optional<ProvisioningProxyService>> proxy) {
        this.proxy = proxy;
    }

    @Override
    public Optional<UntrustedChain> untrusted() {
        return proxy.get().flatMap(ProvisioningProxyService::untrustedUpstream);
    }

    @Override
    public Optional<String> bridgeCertificatePem() {
        return proxy.get().map(ProvisioningProxyService::listenerCertificatePem);
    }

    @Override
    public Optional<String> untrustedPem() {
        return proxy.get().flatMap(ProvisioningProxyService::untrustedChainPem);
    }

    @Override
    public CertificateDetails trust(String sha256Fingerprint) throws Exception {
        ProvisioningProxyService service =
                proxy.get().orElseThrow(() -> new IllegalStateException("the provisioning proxy is not running"));
        return service.trustUntrusted(sha256Fingerprint);
    }
}
