package org.sipbridge.contract.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainPemTest {

    @TempDir
    Path dataDir;

    @Test
    void readsWhatTheBridgeWritesLikeBouncyCastle() throws Exception {
        ListenerCertificate made = ListenerCertificate.generated(
                dataDir, "sip-tls", "SIP", List.of(InetAddress.getByName("192.168.1.20")), Clock.systemUTC());
        String chain = Pem.certificates(made.chain());
        String key = Files.readString(dataDir.resolve(ListenerCertificate.keyFile("sip-tls")));

        assertEquals(made.chain(), PlainPem.certificates(chain).orElseThrow());
        assertEquals(made.chain(), PlainPem.certificates(chain + key).orElseThrow());
        assertArrayEquals(
                Pem.readPrivateKey("junk\n" + key).getEncoded(), // stray text: BouncyCastle's reader
                PlainPem.privateKey(key).orElseThrow().getEncoded());
    }

    @Test
    void readsAnEcKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var ec = generator.generateKeyPair().getPrivate();

        assertArrayEquals(
                ec.getEncoded(),
                PlainPem.privateKey(Pem.privateKey(ec)).orElseThrow().getEncoded());
    }

    @Test
    void leavesEverythingElseToBouncyCastle() {
        String certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

        assertTrue(PlainPem.certificates("").isEmpty());
        assertTrue(PlainPem.certificates("text before\n" + certificate).isEmpty());
        assertTrue(PlainPem.certificates(certificate.replace("END CERTIFICATE", "END X"))
                .isEmpty());
        assertTrue(PlainPem.certificates("-----BEGIN TRUSTED CERTIFICATE-----\nMIIB\n-----END TRUSTED CERTIFICATE-----")
                .isEmpty());
        assertTrue(PlainPem.privateKey("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----")
                .isEmpty());
        assertTrue(PlainPem.privateKey("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----")
                .isEmpty());
    }

    /** BouncyCastle's PEM reader was ~160 classes at every start for the bridge's own files (#19). */
    @Test
    void readingTheBridgesOwnFilesLoadsNoBouncyCastle() throws Exception {
        ListenerCertificate.generated(
                dataDir, "sip-tls", "SIP", List.of(InetAddress.getByName("192.168.1.20")), Clock.systemUTC());
        Process jvm = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xlog:class+load=info:stdout",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReadSupplied.class.getName(),
                        dataDir.resolve(ListenerCertificate.certificateFile("sip-tls"))
                                .toString(),
                        dataDir.resolve(ListenerCertificate.keyFile("sip-tls")).toString())
                .redirectErrorStream(true)
                .start();
        List<String> loaded = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();

        assertEquals(0, jvm.waitFor(), String.join("\n", loaded));
        assertTrue(loaded.stream().anyMatch(line -> line.startsWith("read ")), String.join("\n", loaded));
        assertEquals(
                List.of(),
                loaded.stream()
                        .filter(line -> line.contains("org.bouncycastle"))
                        .toList());
    }

    /** Run in a fresh JVM by {@link #readingTheBridgesOwnFilesLoadsNoBouncyCastle}. */
    static final class ReadSupplied {
        public static void main(String[] args) throws Exception {
            ListenerCertificate read = ListenerCertificate.supplied(Path.of(args[0]), Path.of(args[1]));
            System.out.println("read " + read.certificate().getSubjectX500Principal());
        }
    }
}
