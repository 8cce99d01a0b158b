package org.sipbridge.provisioning.tls;

import org.sipbridge.config.TlsSettings;
import org.xnio.Sequence;

/** The TLS versions both sides of the proxy speak: 1.2 (every Polycom UC Software 5+) and 1.3. */
public final class TlsProtocols {

    public static final Sequence<String> ENABLED = Sequence.of("TLSv1.2", "TLSv1.3");

    /**
     * What the HTTPS listener offers phones: the TLS 1.3 suites and, for TLS 1.2, ECDHE key exchange with
     * AEAD ciphers only (no RSA key exchange, no CBC), the same list as SIP over TLS.
     */
    public static final Sequence<String> LISTENER_CIPHER_SUITES = Sequence.of(TlsSettings.DEFAULT_CIPHER_SUITES);

    private TlsProtocols() {}
}
