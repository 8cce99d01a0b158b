package org.sipbridge.config;

import java.util.List;

/**
 * SIP over TLS. Blank certificate/key files mean "use the certificate the bridge generated for
 * itself"; a blank trusted-authorities file means the JDK's trust store.
 */
public record TlsSettings(
        boolean enabled,
        int port,
        boolean mutualAuth,
        List<String> cipherSuites,
        String certificateFile,
        String privateKeyFile,
        String trustedAuthoritiesFile) {

    /** TLS 1.3 suites and the TLS 1.2 forward-secret AEAD suites: what current phones and PBXs speak. */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public TlsSettings {
        cipherSuites = List.copyOf(cipherSuites);
    }

    public static TlsSettings defaults() {
        return new TlsSettings(true, 8061, false, DEFAULT_CIPHER_SUITES, "", "", "");
    }
}
