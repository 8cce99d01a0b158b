package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.WebSettings;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.provisioning.ProvisioningProxyOptions;
import org.sipbridge.provisioning.ProvisioningProxyService;
import org.sipbridge.provisioning.admission.ListenerLimits;
import org.sipbridge.web.WebAdminServer;
import org.xnio.XnioWorker;

/** The web UI and the provisioning proxy on the daemon's one XNIO worker, each stopping on its own. */
class SharedHttpWorkerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void bothServeOnOneWorkerAndTheProxyRestartsWhileTheWebUiServesOn() throws Exception {
        Set<String> ioThreadsBefore = ioThreads();
        SharedHttpWorker shared = new SharedHttpWorker();
        WebAdminServer web = new WebAdminServer(new WebSettings("127.0.0.1", 0), () -> null).withWorker(shared);
        ProvisioningProxyService proxy = new ProvisioningProxyService(proxyOptions()).onWorker(shared);
        try {
            web.start();
            proxy.start();
            Set<String> added = ioThreads();
            added.removeAll(ioThreadsBefore);
            assertEquals(Set.of(SharedHttpWorker.NAME + " I/O-1"), added, "one I/O thread for both");
            assertEquals(404, webStatus(web), "the web UI serves");
            assertEquals(503, proxyStatus(proxy), "the proxy serves (no upstream configured)");

            proxy.stop();
            XnioWorker worker = shared.get();
            assertFalse(worker.isShutdown(), "the proxy leaves a worker it was given running");
            assertEquals(404, webStatus(web), "the web UI still serves after the proxy stopped");

            proxy.start();
            assertEquals(503, proxyStatus(proxy), "the proxy serves again after a restart");
            proxy.stop();
            web.stop();
            assertFalse(worker.isShutdown(), "the web UI leaves a worker it was given running");

            shared.close();
            assertTrue(worker.isShutdown());
            assertThrows(IllegalStateException.class, shared::get, "closed for good at the daemon's stop");
        } finally {
            proxy.stop();
            web.stop();
            shared.close();
        }
    }

    private int webStatus(WebAdminServer web) throws Exception {
        return status(web.address(), "/api/none");
    }

    private int proxyStatus(ProvisioningProxyService proxy) throws Exception {
        return status(proxy.httpAddress(), "/0004f2aabbcc.cfg");
    }

    private int status(InetSocketAddress address, String path) throws Exception {
        URI uri = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
        return client.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** The proxy on 127.0.0.3 ("LAN", any loopback client is inside 127.0.0.0/8), relaying to nowhere. */
    private ProvisioningProxyOptions proxyOptions() throws Exception {
        return new ProvisioningProxyOptions(
                InetAddress.getByName("127.0.0.3"),
                Ipv4Subnet.parse("127.0.0.0/8"),
                0,
                0,
                InetAddress.getByName("127.0.0.2"),
                "",
                dataDir,
                Optional.empty(),
                ProvisioningProxyOptions.DEFAULT_CONNECT_TIMEOUT,
                ProvisioningProxyOptions.DEFAULT_IDLE_TIMEOUT,
                ListenerLimits.DEFAULT);
    }

    /** Names of the XNIO I/O threads alive now (every worker has its own, named "<worker> I/O-<n>"). */
    private static Set<String> ioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.contains(" I/O-"))
                .collect(Collectors.toSet());
    }
}
