package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipbridge.provisioning.transfer.Transfer;

/**
 * The proxy between a phone (raw sockets, so every byte is under the test's control) and a real
 * provisioning server on loopback, over the HTTP and the HTTPS listener alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayFunctionalTest {

    private static final String MAC_CFG = "/0004f2aabbcc.cfg";
    private static final String MASTER_CFG = "/000000000000.cfg";

    private TestUpstream upstream;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        upstream = TestUpstream.http();
        proxy = ProxyUnderTest.start(dataDir, upstream.url("/"));
    }

    @AfterAll
    void stop() {
        proxy.close();
        upstream.close();
    }

    @BeforeEach
    void files() {
        upstream.files.clear();
        upstream.files.put(MASTER_CFG, allByteValues(3000));
        upstream.files.put(
                MAC_CFG,
                "<polycomConfig><reg reg.1.address=\"1001\"/></polycomConfig>\n".getBytes(StandardCharsets.UTF_8));
        upstream.files.put(
                "/polycom/" + MAC_CFG.substring(1), "under the base path\n".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void configFilesArriveByteForByte(boolean https) throws Exception {
        for (String file : List.of(MASTER_CFG, MAC_CFG)) {
            RawHttp.Response response = proxy.get(https, file);

            assertEquals(200, response.status());
            assertArrayEquals(upstream.files.get(file), response.body(), file);
            assertEquals(TestUpstream.etag(upstream.files.get(file)), response.header("ETag"));
            TestUpstream.Received seen = upstream.last();
            assertEquals(file, seen.rawUri());
            assertEquals(ProxyUnderTest.VPN, seen.from(), "upstream connections come from the VPN address");
            assertEquals(
                    "127.0.0.1:" + upstream.port(), seen.header("Host"), "Host names the upstream, not the bridge");
        }
    }

    @Test
    void everyFinishedRequestIsReportedWithTheAddressThatSentIt() throws Exception {
        // A file only this test asks for: a request of an earlier test may still be reported after the reporter
        // below is set (its report comes when its exchange ends), and must not be taken for this one.
        String file = "/0004f2ddeeff.cfg";
        upstream.files.put(file, "<polycomConfig/>\n".getBytes(StandardCharsets.UTF_8));
        java.util.concurrent.BlockingQueue<org.sipbridge.provisioning.transfer.PhoneRequest> reported =
                new java.util.concurrent.LinkedBlockingQueue<>();
        proxy.service.reportingRequestsTo(reported::add);
        try {
            proxy.get(false, file);

            org.sipbridge.provisioning.transfer.PhoneRequest request;
            do {
                request = reported.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            } while (request != null && !request.transfer().path().equals(file));
            assertTrue(request != null, "the request was reported");
            assertEquals("127.0.0.1", request.clientAddress());
            assertEquals(200, request.transfer().status());
            assertEquals(upstream.files.get(file).length, request.transfer().bytes());
            assertTrue(request.transfer().finished());
        } finally {
            proxy.service.reportingRequestsTo(request -> {});
        }
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void headAnswersWithTheHeadersOnly(boolean https) throws Exception {
        RawHttp.Response response = proxy.send(https, RawHttp.request("HEAD", MASTER_CFG), null);

        assertEquals(200, response.status());
        assertEquals("3000", response.header("Content-Length"));
        assertEquals(0, response.body().length);
        assertEquals("HEAD", upstream.last().method());
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void rangeRequestGetsThePartialContent(boolean https) throws Exception {
        RawHttp.Response response = proxy.get(https, MASTER_CFG, "Range: bytes=1000-1499");

        assertEquals(206, response.status());
        assertEquals("bytes 1000-1499/3000", response.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(upstream.files.get(MASTER_CFG), 1000, 1500), response.body());
        assertEquals("bytes=1000-1499", upstream.last().header("Range"));
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void conditionalRequestsGetNotModified(boolean https) throws Exception {
        String etag = TestUpstream.etag(upstream.files.get(MAC_CFG));

        RawHttp.Response byEtag = proxy.get(https, MAC_CFG, "If-None-Match: " + etag);
        RawHttp.Response byDate = proxy.get(https, MAC_CFG, "If-Modified-Since: " + TestUpstream.LAST_MODIFIED);

        assertEquals(304, byEtag.status());
        assertEquals(etag, byEtag.header("ETag"));
        assertEquals(0, byEtag.body().length);
        assertEquals(304, byDate.status());
        assertEquals(TestUpstream.LAST_MODIFIED, upstream.last().header("If-Modified-Since"));
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void uploadWithContentLengthLandsUpstream(boolean https) throws Exception {
        byte[] log = "0101 12:00:00 boot ok\n".repeat(500).getBytes(StandardCharsets.US_ASCII);

        RawHttp.Response response = proxy.send(
                https,
                RawHttp.request(
                        "PUT", "/0004f2aabbcc-app.log", "Content-Type: text/plain", "Content-Length: " + log.length),
                log);

        assertEquals(201, response.status());
        assertArrayEquals(log, upstream.files.get("/0004f2aabbcc-app.log"));
        assertEquals(String.valueOf(log.length), upstream.last().header("Content-Length"));
        Transfer transfer = finishedTransfer("PUT", "/0004f2aabbcc-app.log");
        assertEquals(Transfer.Direction.UPLOAD, transfer.direction());
        assertEquals(log.length, transfer.bytes());
        assertEquals(log.length, transfer.totalBytes());
        assertEquals(201, transfer.status());
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void chunkedUploadLandsUpstream(boolean https) throws Exception {
        byte[] settings = "<PHONE_CONFIG><OVERRIDES up.backlight.idleIntensity=\"1\"/></PHONE_CONFIG>\n"
                .repeat(40)
                .getBytes(StandardCharsets.UTF_8);

        RawHttp.Response response = proxy.send(
                https,
                RawHttp.request("PUT", "/0004f2aabbcc-phone.cfg", "Transfer-Encoding: chunked"),
                RawHttp.chunked(settings, 700));

        assertEquals(201, response.status());
        assertArrayEquals(settings, upstream.files.get("/0004f2aabbcc-phone.cfg"));
        assertEquals(
                settings.length,
                finishedTransfer("PUT", "/0004f2aabbcc-phone.cfg").bytes());
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void expectContinueWaitsForTheUpstream(boolean https) throws Exception {
        byte[] log = "boot log line\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        try (Socket phone = proxy.phone(https)) {
            OutputStream out = phone.getOutputStream();
            InputStream in = phone.getInputStream();
            out.write(RawHttp.request(
                            "PUT", "/0004f2aabbcc-boot.log", "Expect: 100-continue", "Content-Length: " + log.length)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            RawHttp.Head interim = RawHttp.readHead(in);
            assertEquals(100, interim.status(), "the phone is told to go on before it sends the body");
            out.write(log);
            out.flush();
            RawHttp.Response response = RawHttp.readResponse(in, false);

            assertEquals(201, response.status());
        }
        assertArrayEquals(log, upstream.files.get("/0004f2aabbcc-boot.log"));
        assertEquals("100-continue", upstream.last().header("Expect"));
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void digestAuthenticationPassesUntouched(boolean https) throws Exception {
        String target = "/auth/0004f2aabbcc.cfg?token=a%2Fb";
        RawHttp.Response challenge = proxy.get(https, target);
        String authorization =
                "Digest username=\"0004f2aabbcc\", realm=\"polycom\", nonce=\"dcd98b7102dd2f0e\", uri=\"" + target
                        + "\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\"";
        RawHttp.Response answer = proxy.get(https, target, "Authorization: " + authorization);

        assertEquals(401, challenge.status());
        assertEquals(TestUpstream.DIGEST_CHALLENGE, challenge.header("WWW-Authenticate"));
        assertEquals(200, answer.status());
        assertEquals(authorization, upstream.last().header("Authorization"));
        assertEquals(target, upstream.last().rawUri(), "the request-target the digest covers is unchanged");
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void hopByHopHeadersStayOnTheirHop(boolean https) throws Exception {
        RawHttp.Response response = proxy.get(
                https,
                "/hop",
                "Connection: keep-alive, X-Phone-Hop",
                "X-Phone-Hop: for the bridge only",
                "Keep-Alive: timeout=30",
                "TE: trailers",
                "Proxy-Authorization: Basic cGhvbmU6c2VjcmV0",
                "Upgrade: websocket",
                "X-End-To-End: from the phone");

        TestUpstream.Received seen = upstream.last();
        for (String header : List.of("X-Phone-Hop", "Keep-Alive", "TE", "Proxy-Authorization", "Upgrade", "Trailer")) {
            assertFalse(seen.has(header), header + " must not reach the upstream");
        }
        assertEquals("close", seen.header("Connection"), "only the proxy's own Connection header goes upstream");
        assertEquals("from the phone", seen.header("X-End-To-End"));

        assertEquals(200, response.status());
        assertNull(response.header("X-Upstream-Hop"));
        assertNull(response.header("Keep-Alive"));
        assertNull(response.header("Proxy-Authenticate"));
        assertEquals("kept", response.header("X-End-To-End"));
        assertEquals("hop\n", response.text());
    }

    @Test
    void noForwardedHeadersAreAddedButThePhonesOwnPass() throws Exception {
        proxy.get(false, MAC_CFG);
        TestUpstream.Received plain = upstream.last();
        proxy.get(false, MAC_CFG, "X-Forwarded-For: 10.9.9.9");
        TestUpstream.Received withOwn = upstream.last();

        for (String header : List.of(
                "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Server")) {
            assertFalse(plain.has(header), header + " added by the proxy");
        }
        assertEquals("10.9.9.9", withOwn.header("X-Forwarded-For"));
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void queryStringArrivesUnchanged(boolean https) throws Exception {
        String target = MAC_CFG + "?mac=0004f2aabbcc&path=%2Fa%20b&flag&x=%E2%9C%93";

        assertEquals(200, proxy.get(https, target).status());
        assertEquals(target, upstream.last().rawUri());
    }

    @Test
    void deleteAndPostAreRelayed() throws Exception {
        byte[] form = "a=1&b=2".getBytes(StandardCharsets.US_ASCII);

        RawHttp.Response post = proxy.send(
                false,
                RawHttp.request(
                        "POST",
                        "/directory",
                        "Content-Type: application/x-www-form-urlencoded",
                        "Content-Length: " + form.length),
                form);
        RawHttp.Response delete = proxy.send(false, RawHttp.request("DELETE", MAC_CFG), null);

        assertEquals(200, post.status());
        assertEquals("received 7 bytes\n", post.text());
        assertEquals(204, delete.status());
        assertFalse(upstream.files.containsKey(MAC_CFG));
    }

    @Test
    void otherMethodsAreRefusedWithAllow() throws Exception {
        int before = upstream.received.size();

        RawHttp.Response options = proxy.send(false, RawHttp.request("OPTIONS", MAC_CFG), null);
        RawHttp.Response patch = proxy.send(false, RawHttp.request("PATCH", MAC_CFG, "Content-Length: 0"), null);

        assertEquals(405, options.status());
        assertEquals(405, patch.status());
        assertEquals("GET, HEAD, PUT, POST, DELETE", options.header("Allow"));
        assertEquals(before, upstream.received.size(), "nothing reached the upstream");
    }

    @Test
    void dotSegmentsAreRefused() throws Exception {
        int before = upstream.received.size();

        assertEquals(400, proxy.get(false, "/polycom/../secret.cfg").status());
        assertEquals(400, proxy.get(false, "/polycom/%2E%2E/secret.cfg").status());
        assertEquals(before, upstream.received.size());
    }

    @Test
    void basePathIsPutBeforeThePhonesPath() throws Exception {
        proxy.service.updateUpstream(upstream.url("/polycom/"));
        try {
            RawHttp.Response response = proxy.get(false, MAC_CFG + "?v=2");

            assertEquals(200, response.status());
            assertEquals("under the base path\n", response.text());
            assertEquals("/polycom/0004f2aabbcc.cfg?v=2", upstream.last().rawUri());
        } finally {
            proxy.service.updateUpstream(upstream.url("/"));
        }
    }

    @Test
    void listensOnTheLanAddressOnly() {
        int port = proxy.service.httpAddress().getPort();

        assertEquals(ProxyUnderTest.LAN, proxy.service.httpAddress().getAddress());
        assertEquals(ProxyUnderTest.LAN, proxy.service.httpsAddress().getAddress());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getByName("127.0.0.1"), port).close());
    }

    @Test
    void keepAliveConnectionsServeSeveralRequests() throws Exception {
        try (Socket phone = proxy.phone(false)) {
            for (String file : List.of(MASTER_CFG, MAC_CFG, MASTER_CFG)) {
                RawHttp.Response response = RawHttp.exchange(phone, RawHttp.request("GET", file), null);
                assertArrayEquals(upstream.files.get(file), response.body());
            }
        }
    }

    private Transfer finishedTransfer(String method, String path) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (Transfer transfer : proxy.service.transfers()) {
                if (transfer.finished()
                        && transfer.method().equals(method)
                        && transfer.path().equals(path)) {
                    return transfer;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no finished " + method + " " + path + " in " + proxy.service.transfers());
    }

    private static byte[] allByteValues(int length) {
        byte[] content = new byte[length];
        for (int i = 0; i < length; i++) {
            content[i] = (byte) i;
        }
        return content;
    }
}
