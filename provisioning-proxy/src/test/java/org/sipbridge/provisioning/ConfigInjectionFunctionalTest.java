package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipbridge.config.Transport;
import org.sipbridge.provisioning.inject.InjectionSettings;

/**
 * The Polycom configuration injection through the real proxy, over HTTP and HTTPS: masters arrive
 * with the bridge's file first and headers that describe what was sent; everything else byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigInjectionFunctionalTest {

    private static final InjectionSettings ON = new InjectionSettings(true, Transport.TCP, 8060, false, 514);
    private static final String MASTER = "/000000000000.cfg";

    private final AtomicReference<InjectionSettings> settings = new AtomicReference<>(ON);
    private TestUpstream upstream;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        upstream = TestUpstream.http();
        proxy = ProxyUnderTest.startInjecting(dataDir, upstream.url("/"), settings::get);
    }

    @AfterAll
    void stop() {
        proxy.close();
        upstream.close();
    }

    @BeforeEach
    void files() throws IOException {
        settings.set(ON);
        upstream.files.clear();
        upstream.files.put(MASTER, resource("site-master.cfg"));
        upstream.files.put("/chunked" + MASTER, resource("site-master.cfg"));
        upstream.files.put("/broken.cfg", resource("malformed-master.cfg"));
        upstream.files.put("/site.cfg", resource("site.cfg"));
        upstream.files.put("/firmware.ld", "firmware bytes".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void aMasterArrivesWithTheBridgesFileFirstAndHeadersForTheEditedBody(boolean https) throws Exception {
        byte[] original = upstream.files.get(MASTER);

        RawHttp.Response response = proxy.get(
                https,
                MASTER,
                "If-None-Match: " + TestUpstream.etag(original),
                "If-Modified-Since: " + TestUpstream.LAST_MODIFIED,
                "Range: bytes=0-10",
                "Accept-Encoding: gzip");

        assertEquals(200, response.status(), "never a 304 (or 206) for the upstream's version of a master");
        assertArrayEquals(resource("site-master.expected.cfg"), response.body());
        assertEquals(Integer.toString(response.body().length), response.header("Content-Length"));
        assertNull(response.header("ETag"), "the upstream's ETag describes another body");
        assertNull(response.header("Last-Modified"));
        TestUpstream.Received seen = upstream.last();
        assertFalse(
                seen.has("If-None-Match")
                        || seen.has("If-Modified-Since")
                        || seen.has("Range")
                        || seen.has("Accept-Encoding"),
                "the master is fetched whole and plain");
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void aMasterSentChunkedGetsALength(boolean https) throws Exception {
        RawHttp.Response response = proxy.get(https, "/chunked" + MASTER);

        assertEquals(200, response.status());
        assertArrayEquals(resource("site-master.expected.cfg"), response.body());
        assertEquals(Integer.toString(response.body().length), response.header("Content-Length"));
        assertNull(response.header("Transfer-Encoding"));
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void otherFilesAndMalformedMastersPassByteForByteWithTheirValidators(boolean https) throws Exception {
        for (String file : new String[] {"/site.cfg", "/broken.cfg", "/firmware.ld"}) {
            RawHttp.Response response = proxy.get(https, file);

            assertEquals(200, response.status(), file);
            assertArrayEquals(upstream.files.get(file), response.body(), file);
            assertEquals(TestUpstream.etag(upstream.files.get(file)), response.header("ETag"), file);
        }
        assertEquals(404, proxy.get(https, "/0004f2aabbcc.cfg").status(), "the phone's <MAC>.cfg 404 reaches it");
        RawHttp.Response notModified = proxy.get(
                https, "/firmware.ld", "If-None-Match: " + TestUpstream.etag(upstream.files.get("/firmware.ld")));
        assertEquals(304, notModified.status(), "files other than .cfg keep their conditional requests");
    }

    @Test
    void headOfAMasterHandsOutNoValidators() throws Exception {
        RawHttp.Response response = proxy.send(false, RawHttp.request("HEAD", MASTER), null);

        assertEquals(200, response.status());
        assertNull(response.header("ETag"));
        assertNull(response.header("Last-Modified"));
    }

    @Test
    void switchedOffEveryMasterPassesByteForByte() throws Exception {
        settings.set(InjectionSettings.OFF);

        RawHttp.Response response = proxy.get(false, MASTER);

        assertArrayEquals(upstream.files.get(MASTER), response.body());
        assertEquals(TestUpstream.etag(upstream.files.get(MASTER)), response.header("ETag"));
        assertEquals(
                404,
                proxy.get(false, "/sipbridge-0004f2aabbcc.cfg").status(),
                "relayed to the upstream, which has none");
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void theBridgesOwnFileNamesTheAddressThePhoneReachedAndTheCurrentSettings(boolean https) throws Exception {
        int before = upstream.received.size();
        String first =
                new String(proxy.get(https, "/sipbridge-0004F2AABBCC.cfg").body(), StandardCharsets.UTF_8);
        settings.set(new InjectionSettings(true, Transport.UDP, 5070, true, 514));
        RawHttp.Response second = proxy.get(https, "/polycom/sipbridge-0004f2aabbcc.cfg");
        String text = new String(second.body(), StandardCharsets.UTF_8);

        assertTrue(
                first.contains("reg.1.outboundProxy.address=\"127.0.0.3\" reg.1.outboundProxy.port=\"8060\""
                        + " reg.1.outboundProxy.transport=\"TCPOnly\""),
                first);
        assertTrue(
                text.contains("reg.34.outboundProxy.address=\"127.0.0.3\" reg.34.outboundProxy.port=\"5070\""
                        + " reg.34.outboundProxy.transport=\"UDPOnly\""),
                text);
        assertTrue(text.contains("device.syslog.serverName=\"127.0.0.3\""), text);
        assertEquals("no-store", second.header("Cache-Control"));
        assertEquals(before, upstream.received.size(), "served by the bridge, never asked upstream");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ConfigInjectionFunctionalTest.class.getResourceAsStream("/inject/" + name)) {
            return in.readAllBytes();
        }
    }
}
