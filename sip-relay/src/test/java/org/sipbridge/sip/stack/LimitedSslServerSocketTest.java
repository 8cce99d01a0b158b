package org.sipbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.contract.tls.ListenerCertificate;

/**
 * The TLS listener layers TLS over a tracked connection: jain-sip's settings reach each accepted
 * socket, the handshake is seen to finish, and the encrypted bytes that arrive count as activity.
 */
class LimitedSslServerSocketTest {

    @TempDir
    Path dir;

    @Test
    void anAcceptedTlsConnectionIsTrackedThroughItsHandshakeAndItsTraffic() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        SSLContext server = ListenerCertificate.generated(dir, "test", "test", List.of(loopback), Clock.systemUTC())
                .serverContext();
        AtomicLong clock = new AtomicLong(1_000);
        ConnectionGuard guard = new ConnectionGuard(ConnectionLimits.DEFAULTS, clock::get);
        try (LimitedSslServerSocket listener = new LimitedSslServerSocket(server, 0, 0, loopback, guard)) {
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            listener.setNeedClientAuth(false);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {new TrustingEveryone()}, null);
            try (SSLSocket phone =
                    (SSLSocket) client.getSocketFactory().createSocket(loopback, listener.getLocalPort())) {
                SSLSocket accepted = (SSLSocket) listener.accept();
                TrackedSocket tracked = guard.trackedForTests().get(0);
                assertTrue(tracked.handshakePending());
                assertArrayEquals(
                        new String[] {"TLSv1.3"}, accepted.getEnabledProtocols(), "jain-sip's settings apply");

                clock.set(2_000);
                Thread handshake = new Thread(() -> {
                    try {
                        accepted.startHandshake();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                handshake.start();
                phone.startHandshake();
                handshake.join();
                OutputStream out = phone.getOutputStream();
                out.write("\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                assertEquals('\r', accepted.getInputStream().read());

                assertEquals(2_000, tracked.lastActivity(), "encrypted bytes count as activity");
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (tracked.handshakePending() && System.nanoTime() < deadline) {
                    Thread.sleep(10); // the JDK tells handshake listeners on a thread of its own
                }
                assertFalse(tracked.handshakePending());
                accepted.close();
                assertTrue(tracked.isClosed(), "closing the TLS socket closes the tracked one");
            }
        }
    }

    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
