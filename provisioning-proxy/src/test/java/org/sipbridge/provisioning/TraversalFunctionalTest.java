package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traversal corpus against the running proxy (upstream base path {@code /polycom/}): every variant
 * gets 400 and nothing of it reaches the upstream; normal files still load, and a harmless but
 * unusual encoding reaches the upstream in canonical form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraversalFunctionalTest {

    private TestUpstream upstream;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        upstream = TestUpstream.http();
        upstream.files.put("/polycom/0004f2aabbcc.cfg", "<polycomConfig/>\n".getBytes(StandardCharsets.UTF_8));
        upstream.files.put("/secret/x", "secret\n".getBytes(StandardCharsets.UTF_8));
        proxy = ProxyUnderTest.start(dataDir, upstream.url("/polycom/"));
    }

    @AfterAll
    void stop() {
        proxy.close();
        upstream.close();
    }

    @Test
    void everyVariantOfTheCorpusIsRefusedAndNeverRelayed() throws Exception {
        List<String> notRefused = new ArrayList<>();
        for (String target : TraversalCorpus.targets()) {
            for (boolean https : new boolean[] {false, true}) {
                int before = upstream.received.size();
                int status = proxy.get(https, target).status();
                if (status != 400 || upstream.received.size() != before) {
                    notRefused.add((https ? "https " : "http ") + target + " -> " + status
                            + (upstream.received.size() != before
                                    ? " relayed as " + upstream.last().rawUri()
                                    : ""));
                }
            }
        }
        assertEquals(
                List.of(),
                notRefused,
                "variants not refused with 400 (of " + TraversalCorpus.targets().size() + ")");
    }

    @Test
    void normalFilesLoadAndUnusualEncodingsGoUpstreamCanonically() throws Exception {
        RawHttp.Response plain = proxy.get(false, "/0004f2aabbcc.cfg");
        assertEquals(200, plain.status());
        assertArrayEquals(upstream.files.get("/polycom/0004f2aabbcc.cfg"), plain.body());
        assertEquals("/polycom/0004f2aabbcc.cfg", upstream.last().rawUri());

        RawHttp.Response encoded = proxy.get(true, "/%30004f2aabbc%63.cfg?v=%2e%2e%2f1");
        assertEquals(200, encoded.status());
        assertEquals(
                "/polycom/0004f2aabbcc.cfg?v=%2e%2e%2f1",
                upstream.last().rawUri(), "the path canonical, the query as the phone sent it");
    }
}
