package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTPS listener (8089) as a client that offers exactly one suite sees it: TLS 1.3, and TLS 1.2 with
 * ECDHE key exchange and an AEAD cipher, are accepted; RSA key exchange and CBC ciphers are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListenerCipherSuitesTest {

    private ProxyUnderTest proxy;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        proxy = ProxyUnderTest.start(dataDir, "http://127.0.0.1:1/");
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @ParameterizedTest
    @CsvSource({
        "TLSv1.3, TLS_AES_128_GCM_SHA256",
        "TLSv1.3, TLS_AES_256_GCM_SHA384",
        "TLSv1.3, TLS_CHACHA20_POLY1305_SHA256",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    })
    void acceptsForwardSecretAeadSuites(String protocol, String suite) throws Exception {
        try (SSLSocket socket = proxy.tlsClient(protocol, suite)) {
            socket.startHandshake();
            assertEquals(suite, socket.getSession().getCipherSuite());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "TLSv1.2, TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLSv1.2, TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLSv1.2, TLS_RSA_WITH_AES_128_CBC_SHA256",
        "TLSv1.2, TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLSv1.2, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    })
    void refusesRsaKeyExchangeAndCbc(String protocol, String suite) throws Exception {
        try (SSLSocket socket = proxy.tlsClient(protocol, suite)) {
            assertThrows(SSLHandshakeException.class, socket::startHandshake, suite);
        }
    }
}
