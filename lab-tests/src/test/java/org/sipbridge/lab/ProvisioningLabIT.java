package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed provisioning end to end with real parts: a phone (curl) in the phone namespace fetches its
 * configuration and firmware and uploads its logs through the packaged daemon's provisioning proxy
 * (HTTP 8088, HTTPS 8089 on the LAN adapter), which relays over the VPN adapter to nginx, the "office
 * provisioning server", in the PBX namespace. Also: an HTTPS upstream with a self-signed certificate
 * is refused until IT trusts it through the API (and stays trusted across a restart), and an upstream
 * that goes away gives the phone a quick 502/504 and the status page a warning, never Not Ready.
 */
class ProvisioningLabIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAC = "0004f2aabbcc";
    private static final String FIRMWARE = "3111-48300-001.sip.ld";
    private static final int FIRMWARE_BYTES = 64 * 1024 * 1024;
    private static final String UPSTREAM_SUBJECT = "/CN=provisioning.lab/O=sipbridge lab/OU=lab office";

    private static LabNetwork lab;
    private static Nginx upstream;
    private static Path docroot;
    private static byte[] commonCfg;
    private static byte[] phoneCfg;
    private static String firmwareSha256;

    @TempDir
    static Path dir;

    private BridgeDaemon daemon;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabNetwork.up("pv" + ProcessHandle.current().pid() % 100000);
        docroot = Files.createDirectories(dir.resolve("docroot"));
        commonCfg = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="%s-phone.cfg, site.cfg" MISC_FILES=""
                  LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY=""/>
                """.formatted(MAC).getBytes(StandardCharsets.UTF_8);
        phoneCfg = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <polycomConfig>
                  <reg reg.1.address="1001@sipbridge.lab" reg.1.auth.userId="1001" reg.1.auth.password="pass1001"
                       reg.1.server.1.address="sipbridge.lab" reg.1.outboundProxy.address="198.18.1.1"
                       reg.1.outboundProxy.port="8060" reg.1.outboundProxy.transport="TCPOnly"/>
                  <!-- not ASCII, so an encoding slip would show: Zürich, 東京 -->
                </polycomConfig>
                """.getBytes(StandardCharsets.UTF_8);
        Files.write(docroot.resolve("000000000000.cfg"), commonCfg);
        Files.write(docroot.resolve(MAC + ".cfg"), phoneCfg);
        firmwareSha256 = writeRandomFile(docroot.resolve(FIRMWARE), FIRMWARE_BYTES);

        Path nginxDir = dir.resolve("nginx");
        Nginx.selfSignedCertificate(nginxDir, UPSTREAM_SUBJECT, lab.fact("PBX_IP"));
        upstream = Nginx.start(lab, nginxDir, docroot, lab.fact("PBX_IP"));
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.remainingNamespaces(), "namespaces left behind");
            LabNetwork.Result leftovers = LabNetwork.run(List.of("pgrep", "-f", "nginx.*" + dir), 10);
            assertEquals("", leftovers.output().trim(), "nginx processes left behind");
        }
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    void configurationFilesArriveByteForByteOverHttpAndHttps() throws Exception {
        Path work = dir.resolve("bridge-configs");
        daemon = BridgeDaemon.start(lab, work, config(upstream.httpUrl()));
        // The phone is told to trust the bridge's own certificate: the file in the data folder.
        Path bridgeCertificate = work.resolve("data/provisioning-https-cert.pem");
        assertTrue(Files.exists(bridgeCertificate), "no generated HTTPS certificate in the data folder");

        for (String file : List.of("000000000000.cfg", MAC + ".cfg")) {
            byte[] expected = Files.readAllBytes(docroot.resolve(file));
            Fetch plain =
                    phone("-D", out("http-" + file + ".headers"), "-o", out("http-" + file), lan("http", 8088) + file);
            assertEquals(200, plain.status(), plain.describe(daemon));
            assertArrayEquals(expected, Files.readAllBytes(phoneFile("http-" + file)), file + " over 8088");
            // The phone's conditional re-fetch: nginx's ETag goes through, and so does its 304.
            String etag = Files.readAllLines(phoneFile("http-" + file + ".headers")).stream()
                    .filter(h -> h.toLowerCase(Locale.ROOT).startsWith("etag:"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no ETag relayed"))
                    .substring(5)
                    .trim();
            Fetch unchanged = phone("-H", "If-None-Match: " + etag, "-o", out("http-304"), lan("http", 8088) + file);
            assertEquals(304, unchanged.status(), unchanged.describe(daemon));

            // --cacert: curl checks the chain and that the certificate names 198.18.1.1, as a phone would.
            Fetch tls = phone(
                    "--cacert", bridgeCertificate.toString(), "-o", out("https-" + file), lan("https", 8089) + file);
            assertEquals(200, tls.status(), tls.describe(daemon));
            assertArrayEquals(expected, Files.readAllBytes(phoneFile("https-" + file)), file + " over 8089");
        }
        // What the office server saw: the bridge's VPN address, its own host name, no X-Forwarded-For.
        String logged = upstream.accessLog().stream()
                .filter(l -> l.contains("GET /" + MAC + ".cfg "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("nginx logged no GET of the phone's file"));
        assertTrue(logged.startsWith(lab.fact("BRIDGE_VPN_IP") + " "), logged);
        assertTrue(logged.contains("host=\"" + lab.fact("PBX_IP") + ":" + Nginx.HTTP_PORT + "\""), logged);
        assertTrue(logged.contains("xff=\"-\""), logged);
    }

    @Test
    void firmwareStreamsWholeAndByRangeAndShowsAsATransfer() throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge-firmware"), config(upstream.httpUrl()));
        Path whole = phoneFile("firmware");
        Fetch fetch = phone("-o", whole.toString(), lan("http", 8088) + FIRMWARE);
        assertEquals(200, fetch.status(), fetch.describe(daemon));
        assertEquals(FIRMWARE_BYTES, Files.size(whole));
        assertEquals(firmwareSha256, sha256(whole), "SHA-256 of the firmware the phone got");
        assertEquals(-1, Files.mismatch(whole, docroot.resolve(FIRMWARE)));
        Files.delete(whole);
        System.out.printf(
                Locale.ROOT,
                "[provisioning] firmware %d bytes (%.1f MiB), SHA-256 %s: %.2f s through the"
                        + " bridge (curl time_total), %.1f MB/s%n",
                FIRMWARE_BYTES,
                FIRMWARE_BYTES / 1048576.0,
                firmwareSha256,
                fetch.seconds(),
                FIRMWARE_BYTES / fetch.seconds() / 1e6);

        long from = 10_000_000;
        long to = 11_048_575;
        Path part = phoneFile("firmware-range");
        Path headers = phoneFile("firmware-range.headers");
        Fetch range = phone(
                "-r", from + "-" + to, "-D", headers.toString(), "-o", part.toString(), lan("http", 8088) + FIRMWARE);
        assertEquals(206, range.status(), range.describe(daemon));
        byte[] expected = new byte[(int) (to - from + 1)];
        try (InputStream in = Files.newInputStream(docroot.resolve(FIRMWARE))) {
            in.skipNBytes(from);
            in.readNBytes(expected, 0, expected.length);
        }
        assertArrayEquals(expected, Files.readAllBytes(part), "bytes " + from + "-" + to);
        assertTrue(
                Files.readString(headers)
                        .toLowerCase(Locale.ROOT)
                        .contains("content-range: bytes " + from + "-" + to + "/" + FIRMWARE_BYTES),
                Files.readString(headers));

        JsonNode transfer = awaitTransfer("/" + FIRMWARE, 200);
        assertEquals("GET", transfer.path("method").asText());
        assertEquals("DOWNLOAD", transfer.path("direction").asText());
        assertEquals(FIRMWARE_BYTES, transfer.path("bytes").asLong(), transfer.toString());
        assertEquals(FIRMWARE_BYTES, transfer.path("totalBytes").asLong(), transfer.toString());
        System.out.println("[provisioning] /api/provisioning firmware transfer: "
                + transfer.toString().replace("\n", ""));
        JsonNode partial = awaitTransfer("/" + FIRMWARE, 206);
        assertEquals(to - from + 1, partial.path("bytes").asLong(), partial.toString());

        List<String> lines = upstream.accessLog();
        String logged = lines.stream()
                .filter(l -> l.contains("range=\"bytes=" + from))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the Range header did not reach nginx: " + lines));
        assertTrue(logged.contains("\" 206 "), logged);
    }

    @Test
    void thePhonesUploadsLandOnTheOfficeServer() throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve("bridge-uploads"), config(upstream.httpUrl()));
        // A log of 2 MB with Expect: 100-continue (the upstream's 100 is relayed before the body).
        Path appLog = dir.resolve("phone-" + MAC + "-app.log");
        StringBuilder log = new StringBuilder();
        for (int i = 0; log.length() < 2_000_000; i++) {
            log.append("1122083912|sip  |4|00|line ").append(i).append(": registration 1001@sipbridge.lab ok\n");
        }
        Files.writeString(appLog, log);
        String appLogName = MAC + "-app.log";
        Fetch put = phone(
                "-T",
                appLog.toString(),
                "-H",
                "Expect: 100-continue",
                "-o",
                "/dev/null",
                lan("http", 8088) + appLogName);
        assertEquals(201, put.status(), put.describe(daemon));
        assertEquals(-1, Files.mismatch(appLog, docroot.resolve(appLogName)), appLogName + " in nginx's docroot");

        // The phone's own settings, chunked and over the HTTPS listener; then changed and uploaded again.
        String settingsName = MAC + "-phone.cfg";
        Path settings = dir.resolve("phone-" + settingsName);
        Path bridgeCertificate = dir.resolve("bridge-uploads/data/provisioning-https-cert.pem");
        for (String volume : List.of("8", "11")) {
            Files.writeString(settings, """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <PHONE_CONFIG><OVERRIDES voice.volume.persist.handset="1" up.volume="%s"/></PHONE_CONFIG>
                    """.formatted(volume));
            Fetch chunked = phone(
                    "-T",
                    settings.toString(),
                    "-H",
                    "Transfer-Encoding: chunked",
                    "--cacert",
                    bridgeCertificate.toString(),
                    "-o",
                    "/dev/null",
                    lan("https", 8089) + settingsName);
            assertEquals(volume.equals("8") ? 201 : 204, chunked.status(), chunked.describe(daemon));
            assertEquals(
                    -1, Files.mismatch(settings, docroot.resolve(settingsName)), settingsName + " in nginx's docroot");
        }
        List<String> logged = upstream.accessLog();
        long appLogSize = Files.size(appLog);
        assertTrue(
                logged.stream()
                        .anyMatch(l -> l.contains("PUT /" + appLogName)
                                && l.contains("expect=\"100-continue\"")
                                && l.contains("length=\"" + appLogSize + "\"")),
                String.join("\n", logged));
        assertTrue(
                logged.stream().anyMatch(l -> l.contains("PUT /" + settingsName) && l.contains("te=\"chunked\"")),
                String.join("\n", logged));
        JsonNode transfer = awaitTransfer("/" + appLogName, 201);
        assertEquals("UPLOAD", transfer.path("direction").asText(), transfer.toString());
        assertEquals(Files.size(appLog), transfer.path("bytes").asLong(), transfer.toString());
    }

    @Test
    void anUntrustedHttpsUpstreamWorksOnceTrustedAndStaysTrustedAfterARestart() throws Exception {
        Path work = dir.resolve("bridge-https");
        String config = config(upstream.httpsUrl());
        daemon = BridgeDaemon.start(lab, work, config);
        X509Certificate served =
                certificates(Files.readString(upstream.certificate())).get(0);
        String file = "000000000000.cfg";

        Fetch refused = phone("-o", out("refused"), lan("http", 8088) + file);
        assertEquals(502, refused.status(), refused.describe(daemon));
        System.out.println("[provisioning] untrusted upstream, the phone got 502: "
                + Files.readString(phoneFile("refused")).trim());

        Api details = api("GET", "/api/certificates/untrusted", null);
        assertEquals(200, details.status(), details.body());
        JsonNode chain = JSON.readTree(details.body());
        ObjectNode shown = chain.deepCopy();
        System.out.println("[provisioning] /api/certificates/untrusted (without its pem): " + shown.without("pem"));
        assertEquals(
                lab.fact("PBX_IP") + ":" + Nginx.HTTPS_PORT,
                chain.path("upstream").asText());
        assertTrue(chain.path("trustable").asBoolean(), chain.toString());
        JsonNode leaf = chain.path("certificates").path(0);
        assertEquals(
                served.getSubjectX500Principal().getName(), leaf.path("subject").asText());
        assertTrue(leaf.path("subject").asText().contains("CN=provisioning.lab"), leaf.toString());
        assertEquals(
                served.getIssuerX500Principal().getName(), leaf.path("issuer").asText(), "self-signed");
        assertEquals(
                HexFormat.ofDelimiter(":")
                        .withUpperCase()
                        .formatHex(served.getSerialNumber().toByteArray()),
                leaf.path("serialNumber").asText());
        assertEquals(
                served.getNotAfter().toInstant(),
                Instant.parse(leaf.path("notAfter").asText()));
        assertEquals("SHA256withRSA", leaf.path("signatureAlgorithm").asText());
        assertEquals(fingerprint(served), leaf.path("sha256Fingerprint").asText());
        assertEquals(
                "IP:" + lab.fact("PBX_IP"),
                leaf.path("subjectAlternativeNames").path(0).asText());

        Api pem = api("GET", "/api/certificates/untrusted/pem", null);
        assertEquals(200, pem.status(), pem.body());
        assertEquals(served, certificates(pem.body()).get(0), "the PEM download is the certificate nginx serves");

        assertTrue(
                warnings().stream()
                        .anyMatch(w -> w.contains("provisioning upstream " + upstream.httpsUrl()
                                + " presented a certificate the bridge does not trust")),
                warnings().toString());

        Api wrong = api("POST", "/api/certificates/untrusted/trust", "{\"sha256\": \"" + "AB:".repeat(31) + "AB\"}");
        assertEquals(409, wrong.status(), "a fingerprint IT has not seen pins nothing: " + wrong.body());
        Api trusted = api(
                "POST",
                "/api/certificates/untrusted/trust",
                JSON.createObjectNode()
                        .put("sha256", leaf.path("sha256Fingerprint").asText())
                        .toString());
        assertEquals(200, trusted.status(), trusted.body());
        assertTrue(Files.exists(work.resolve("data/provisioning-upstream-trusted.pem")));

        Path bridgeCertificate = work.resolve("data/provisioning-https-cert.pem");
        assertFetchedOverBoth(file, bridgeCertificate, "after trusting");
        assertEquals(404, api("GET", "/api/certificates/untrusted", null).status(), "nothing untrusted any more");
        assertTrue(warnings().isEmpty(), "the warning clears with the next answer: " + warnings());

        daemon.close();
        daemon = BridgeDaemon.start(lab, work, config);
        assertFetchedOverBoth(MAC + ".cfg", bridgeCertificate, "after a restart with the same data folder");
        assertEquals(404, api("GET", "/api/certificates/untrusted", null).status(), "trust kept across the restart");
    }

    @Test
    void anUpstreamThatGoesAwayGivesAQuickGatewayErrorAndAWarningButNeverNotReady() throws Exception {
        // Its own nginx on the PBX's second address, so stopping it leaves the other tests' upstream alone;
        // and a registered phone, so the bridge is Ready and must stay Ready.
        String address = lab.fact("PBX2_IP");
        Nginx office = Nginx.start(lab, dir.resolve("nginx-down"), docroot, address);
        Kamailio pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
        try {
            daemon = BridgeDaemon.start(
                    lab, dir.resolve("bridge-down"), """
                    {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0",
                                "provisioningUpstream": "%s"}}
                    """.formatted(lab.fact("PBX_IP"), office.httpUrl()));
            LabNetwork.Result registered = Sipp.run(
                    lab,
                    "phone",
                    "phone-register.xml",
                    lab.fact("PHONE_IP"),
                    5061,
                    lab.fact("BRIDGE_LAN_IP") + ":8060",
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-s",
                    "1001",
                    "-ap",
                    "pass1001");
            assertEquals(
                    0,
                    registered.exitCode(),
                    registered.output() + daemon.process().output());
            awaitState("READY");
            String file = MAC + ".cfg";
            Fetch before = phone("-o", out("before-down"), lan("http", 8088) + file);
            assertEquals(200, before.status(), before.describe(daemon));
            assertEquals(List.of(), warnings());

            // 1. The server is down, the host is up: connections are refused.
            office.stop();
            Fetch refused = phone("-o", out("refused-down"), lan("http", 8088) + file);
            System.out.printf(
                    Locale.ROOT,
                    "[provisioning] upstream stopped (connection refused): %d after %.3f s"
                            + " (curl time_total; %.3f s wall incl. ip netns exec): %s%n",
                    refused.status(),
                    refused.seconds(),
                    refused.wallSeconds(),
                    Files.readString(phoneFile("refused-down")).trim());
            assertGatewayErrorWithin(refused, Duration.ofSeconds(10));
            JsonNode status = daemon.status();
            assertEquals(
                    "READY", status.path("state").asText(), "a provisioning problem never makes the bridge Not Ready");
            List<String> warnings = warnings();
            System.out.println("[provisioning] warning: " + warnings);
            assertTrue(
                    warnings.stream()
                            .anyMatch(w -> w.startsWith("provisioning upstream " + office.httpUrl()
                                    + " unreachable from " + lab.fact("BRIDGE_VPN_IP"))),
                    warnings.toString());

            // 2. The host is gone too (a dead VPN path): SYNs go unanswered, the 5 s connect timeout applies.
            assertEquals(
                    0,
                    lab.exec("pbx", "ip", "addr", "del", address + "/24", "dev", "eth0")
                            .exitCode());
            try {
                Fetch silent = phone("-o", out("silent-down"), lan("http", 8088) + file);
                System.out.printf(
                        Locale.ROOT,
                        "[provisioning] upstream host gone (no answer): %d after %.3f s"
                                + " (curl time_total; %.3f s wall): %s%n",
                        silent.status(),
                        silent.seconds(),
                        silent.wallSeconds(),
                        Files.readString(phoneFile("silent-down")).trim());
                assertGatewayErrorWithin(silent, Duration.ofSeconds(10));
                assertEquals("READY", daemon.status().path("state").asText());
                assertTrue(
                        warnings().stream().anyMatch(w -> w.contains(office.httpUrl())),
                        warnings().toString());
            } finally {
                lab.exec("pbx", "ip", "addr", "add", address + "/24", "dev", "eth0");
            }

            // 3. Back: the next request gets an answer and the warning clears by itself.
            office.start();
            Fetch after = phone("-o", out("after-down"), lan("http", 8088) + file);
            assertEquals(200, after.status(), after.describe(daemon));
            assertArrayEquals(phoneCfg, Files.readAllBytes(phoneFile("after-down")));
            assertEquals(List.of(), warnings());
            assertEquals("READY", daemon.status().path("state").asText());
        } finally {
            office.close();
            pbx.close();
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** Transparency is what these tests check: the Polycom injection (ZeroTouchLabIT) is off. */
    private static String config(String upstreamUrl) {
        return """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0",
                            "managedPhoneProvisioning": true, "provisioningHttpPort": 8088,
                            "provisioningHttpsPort": 8089, "provisioningUpstream": "%s",
                            "phoneConfigInjection": false}}
                """.formatted(lab.fact("PBX_IP"), upstreamUrl);
    }

    private static String lan(String scheme, int port) {
        return scheme + "://" + lab.fact("BRIDGE_LAN_IP") + ":" + port + "/";
    }

    private static Path phoneFile(String name) throws IOException {
        return Files.createDirectories(dir.resolve("phone")).resolve(name);
    }

    /** A file in the phone's folder, as a curl argument. */
    private static String out(String name) throws IOException {
        return phoneFile(name).toString();
    }

    /** What curl in the phone namespace reported. */
    record Fetch(int status, double seconds, double wallSeconds, String output) {
        String describe(BridgeDaemon daemon) {
            return "curl: " + output + "\ndaemon:\n" + daemon.process().output();
        }
    }

    /** curl from the phone namespace; the caller names the output file with -o. */
    private static Fetch phone(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("curl", "-sS", "--max-time", "120", "-w", "\ncurl-result %{http_code} %{time_total}\n"));
        command.addAll(List.of(arguments));
        long started = System.nanoTime();
        LabNetwork.Result result = LabNetwork.run(lab.inHost("phone", command), 180);
        double wall = (System.nanoTime() - started) / 1e9;
        String[] last = result.output()
                .lines()
                .filter(l -> l.startsWith("curl-result "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("curl printed no result: " + result.output()))
                .split(" ");
        return new Fetch(
                Integer.parseInt(last[1]),
                Double.parseDouble(last[2]),
                wall,
                result.output().trim());
    }

    record Api(int status, String body) {}

    /** The daemon's web API, from inside the bridge namespace (it listens on its 127.0.0.1:8080). */
    private static Api api(String method, String path, String jsonBody) throws IOException, InterruptedException {
        Path body = Files.createTempFile(dir, "api-", ".body");
        List<String> command = new ArrayList<>(
                List.of("curl", "-sS", "--max-time", "10", "-X", method, "-o", body.toString(), "-w", "%{http_code}"));
        if (!method.equals("GET")) {
            // Like the pages: a session cookie and its CSRF token (the UI is open on loopback, but changes need it).
            Path jar = dir.resolve("api-cookies.txt");
            LabNetwork.Result session = LabNetwork.run(
                    lab.inHost(
                            "bridge",
                            List.of(
                                    "curl",
                                    "-sS",
                                    "--max-time",
                                    "10",
                                    "-c",
                                    jar.toString(),
                                    "http://127.0.0.1:8080/api/session")),
                    30);
            java.util.regex.Matcher token = java.util.regex.Pattern.compile("\"csrfToken\" ?: ?\"([^\"]+)\"")
                    .matcher(session.output());
            if (!token.find()) {
                throw new AssertionError("no CSRF token from /api/session: " + session.output());
            }
            command.addAll(List.of("-b", jar.toString(), "-H", "X-CSRF-Token: " + token.group(1)));
        }
        if (jsonBody != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", jsonBody));
        }
        command.add("http://127.0.0.1:8080" + path);
        LabNetwork.Result result = LabNetwork.run(lab.inHost("bridge", command), 30);
        if (result.exitCode() != 0) {
            throw new AssertionError(method + " " + path + " failed: " + result.output());
        }
        try {
            return new Api(Integer.parseInt(result.output().trim()), Files.readString(body));
        } finally {
            Files.delete(body);
        }
    }

    private List<String> warnings() throws IOException, InterruptedException {
        List<String> messages = new ArrayList<>();
        daemon.status()
                .path("warnings")
                .forEach(w -> messages.add(w.path("message").asText()));
        return messages;
    }

    private void awaitState(String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode status = daemon.status();
        while (!state.equals(status.path("state").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not " + state + ": " + status + "\n" + daemon.process().output());
            }
            Thread.sleep(200);
            status = daemon.status();
        }
    }

    /** The newest finished transfer of {@code path} with {@code status}, waiting briefly for it to finish. */
    private static JsonNode awaitTransfer(String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Api provisioning = api("GET", "/api/provisioning", null);
            assertEquals(200, provisioning.status(), provisioning.body());
            for (JsonNode transfer : JSON.readTree(provisioning.body()).path("transfers")) {
                if (transfer.path("path").asText().equals(path)
                        && transfer.path("status").asInt() == status
                        && transfer.path("finished").asBoolean()) {
                    return transfer;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no finished " + status + " transfer of " + path + ": " + provisioning.body());
            }
            Thread.sleep(200);
        }
    }

    private void assertFetchedOverBoth(String file, Path bridgeCertificate, String when) throws Exception {
        byte[] expected = Files.readAllBytes(docroot.resolve(file));
        Fetch plain = phone("-o", out("plain-" + file), lan("http", 8088) + file);
        assertEquals(200, plain.status(), when + ": " + plain.describe(daemon));
        assertArrayEquals(expected, Files.readAllBytes(phoneFile("plain-" + file)), when);
        Fetch tls =
                phone("--cacert", bridgeCertificate.toString(), "-o", out("tls-" + file), lan("https", 8089) + file);
        assertEquals(200, tls.status(), when + ": " + tls.describe(daemon));
        assertArrayEquals(expected, Files.readAllBytes(phoneFile("tls-" + file)), when);
    }

    private static void assertGatewayErrorWithin(Fetch fetch, Duration bound) {
        assertTrue(fetch.status() == 502 || fetch.status() == 504, "expected 502 or 504: " + fetch.output());
        assertTrue(
                fetch.wallSeconds() < bound.toMillis() / 1000.0,
                "the phone waited " + fetch.wallSeconds() + " s (bound " + bound + ")");
    }

    /** Random bytes (fixed seed), written in 1 MiB blocks; returns their SHA-256 in hex. */
    private static String writeRandomFile(Path file, int size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(20261122L);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                int length = Math.min(block.length, size - written);
                out.write(block, 0, length);
                digest.update(block, 0, length);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1024 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<X509Certificate> certificates(String pem) throws Exception {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (var certificate :
                factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            certificates.add((X509Certificate) certificate);
        }
        assertFalse(certificates.isEmpty(), "no certificate in: " + pem);
        return certificates;
    }

    private static String fingerprint(X509Certificate certificate) throws Exception {
        return HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
