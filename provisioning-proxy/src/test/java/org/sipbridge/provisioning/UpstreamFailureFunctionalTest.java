package org.sipbridge.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.Severity;
import org.sipbridge.provisioning.transfer.Transfer;

/** What the phone and the status page get when the upstream cannot be reached, and the recovery. */
class UpstreamFailureFunctionalTest {

    /** A functional bound: the phone must not hang for the OS's minutes-long connect timeout. */
    private static final Duration QUICK = Duration.ofSeconds(6);

    private static final Duration IDLE = Duration.ofSeconds(1);

    @TempDir
    Path dataDir;

    @Test
    void refusedConnectionGivesAQuickBadGatewayAndAWarningThatClearsOnRecovery() throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/";
        try (ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, url)) {
            long started = System.nanoTime();
            RawHttp.Response response = proxy.get(false, "/0004f2aabbcc.cfg");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("upstream refused: %d after %d ms%n", response.status(), took.toMillis());

            assertEquals(502, response.status());
            assertTrue(took.compareTo(QUICK) < 0, "took " + took);
            assertTrue(response.text().contains("Connection refused"), response.text());
            Reason reason = single(proxy.service.reasons());
            assertEquals(Severity.WARNING, reason.severity());
            assertEquals("provisioning-proxy", reason.source());
            assertTrue(reason.message().contains(url), reason.message());
            assertTrue(reason.message().contains("unreachable from 127.0.0.2"), reason.message());
            assertTrue(reason.message().contains("Connection refused"), reason.message());
            assertEquals(502, proxy.service.transfers().get(0).status());

            try (TestUpstream upstream = TestUpstream.http(port)) {
                upstream.files.put("/0004f2aabbcc.cfg", "back\n".getBytes(StandardCharsets.US_ASCII));

                assertEquals("back\n", proxy.get(false, "/0004f2aabbcc.cfg").text());
                assertEquals(List.of(), proxy.service.reasons(), "an answer clears the warning");
            }
        }
    }

    @Test
    void uploadToADownUpstreamAlsoGetsBadGateway() throws Exception {
        try (ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, "http://127.0.0.1:" + freePort() + "/")) {
            byte[] log = "app log\n".getBytes(StandardCharsets.US_ASCII);

            RawHttp.Response response = proxy.send(
                    true, RawHttp.request("PUT", "/0004f2aabbcc-app.log", "Content-Length: " + log.length), log);

            assertEquals(502, response.status());
        }
    }

    @Test
    void unansweredConnectGivesGatewayTimeoutWithinTheConnectTimeout() throws Exception {
        try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Fill fill = Fill.acceptQueue(blackhole);
                ProxyUnderTest proxy =
                        ProxyUnderTest.start(dataDir, "http://127.0.0.1:" + blackhole.getLocalPort() + "/")) {
            long started = System.nanoTime();
            RawHttp.Response response = proxy.get(false, "/0004f2aabbcc.cfg");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf(
                    "upstream silent: %d after %d ms (connect timeout %s)%n",
                    response.status(), took.toMillis(), ProvisioningProxyOptions.DEFAULT_CONNECT_TIMEOUT);

            assertEquals(504, response.status());
            assertTrue(took.compareTo(ProvisioningProxyOptions.DEFAULT_CONNECT_TIMEOUT) >= 0, "took " + took);
            assertTrue(took.compareTo(QUICK) < 0, "took " + took);
            assertTrue(
                    single(proxy.service.reasons()).message().contains("no connection within 5 s"),
                    proxy.service.reasons().toString());
        }
    }

    @Test
    void unknownHostGivesBadGatewayNamingTheHost() throws Exception {
        ProvisioningProxyOptions options = ProxyUnderTest.options(dataDir, "https://prov.office.test/polycom/");
        try (ProxyUnderTest proxy = ProxyUnderTest.start(options, host -> {
            throw ProxyUnderTest.unreachable(host);
        })) {
            RawHttp.Response response = proxy.get(false, "/0004f2aabbcc.cfg");

            assertEquals(502, response.status());
            Reason reason = single(proxy.service.reasons());
            assertTrue(
                    reason.message().contains("https://prov.office.test/polycom/ cannot be found"), reason.message());
            assertTrue(reason.message().contains("prov.office.test"), reason.message());
        }
    }

    /**
     * A LAN device floods the proxy while the name server hangs: the worker's task threads are shared with
     * the web UI, so the requests wait on one lookup of the host instead of holding a thread each.
     */
    @Test
    void requestsDuringASlowLookupShareOneLookupThread() throws Exception {
        ProvisioningProxyOptions options = ProxyUnderTest.options(dataDir, "https://prov.office.test/polycom/");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch answer = new CountDownLatch(1);
        ExecutorService phones = Executors.newFixedThreadPool(6);
        try (ProxyUnderTest proxy = ProxyUnderTest.start(options, host -> {
            calls.incrementAndGet();
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                answer.await(10, TimeUnit.SECONDS);
                throw ProxyUnderTest.unreachable(host);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ProxyUnderTest.unreachable(host);
            } finally {
                running.decrementAndGet();
            }
        })) {
            List<Future<RawHttp.Response>> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(phones.submit(() -> proxy.get(false, "/0004f2aabbcc.cfg")));
            }
            Thread.sleep(1500); // every request has reached the lookup (the connect timeout is 5 s)
            int atOnce = mostAtOnce.get();
            answer.countDown();
            for (Future<RawHttp.Response> response : responses) {
                assertEquals(502, response.get(10, TimeUnit.SECONDS).status());
            }
            assertEquals(1, atOnce, "lookups of the same host at once");
            assertEquals(1, calls.get(), "one lookup served all six");
        } finally {
            answer.countDown();
            phones.shutdownNow();
        }
    }

    @Test
    void missingUpstreamGivesServiceUnavailableAndAWarning() throws Exception {
        try (ProxyUnderTest proxy = ProxyUnderTest.start(dataDir, "")) {
            RawHttp.Response response = proxy.get(true, "/0004f2aabbcc.cfg");

            assertEquals(503, response.status());
            assertTrue(response.text().contains("provisioning upstream not configured"), response.text());
            Reason reason = single(proxy.service.reasons());
            assertEquals(Severity.WARNING, reason.severity());
            assertEquals("provisioning upstream not configured", reason.message());

            try (TestUpstream upstream = TestUpstream.http()) {
                upstream.files.put("/0004f2aabbcc.cfg", "configured\n".getBytes(StandardCharsets.US_ASCII));
                proxy.service.updateUpstream(upstream.url("/"));

                assertEquals(
                        "configured\n", proxy.get(true, "/0004f2aabbcc.cfg").text());
                assertEquals(List.of(), proxy.service.reasons());
            }
        }
    }

    @Test
    void upstreamDyingMidDownloadCutsThePhonesConnection() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ProxyUnderTest proxy =
                        ProxyUnderTest.start(dataDir, "http://127.0.0.1:" + upstream.getLocalPort() + "/")) {
            Thread server = new Thread(() -> {
                try (Socket connection = upstream.accept()) {
                    RawHttp.readRequestHead(connection.getInputStream());
                    connection
                            .getOutputStream()
                            .write(("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000))
                                    .getBytes(StandardCharsets.US_ASCII));
                    connection.getOutputStream().flush();
                    Thread.sleep(300); // the phone has the start of the file when the upstream dies
                } catch (Exception e) {
                    // the test fails on the phone's side if this goes wrong
                }
            });
            server.setDaemon(true);
            server.start();
            try (Socket phone = proxy.phone(false)) {
                phone.getOutputStream()
                        .write(RawHttp.request("GET", "/big.sip.ld").getBytes(StandardCharsets.US_ASCII));
                RawHttp.Head head = RawHttp.readHead(phone.getInputStream());
                byte[] rest = phone.getInputStream().readAllBytes();

                assertEquals(200, head.status());
                assertEquals("1000000", head.header("Content-Length"));
                assertEquals(
                        1000, rest.length, "the phone sees the body end early, so it knows the file is incomplete");
            }
            server.join(5000);
            Transfer transfer = awaitFinished(proxy);
            assertTrue(transfer.incomplete(), transfer.toString());
        }
    }

    @Test
    void upstreamThatNeverAnswersGivesGatewayTimeoutAfterTheIdleTimeout() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ProxyUnderTest proxy = ProxyUnderTest.start(
                        ProxyUnderTest.options(dataDir, "http://127.0.0.1:" + upstream.getLocalPort() + "/")
                                .withTimeouts(Duration.ofSeconds(5), IDLE),
                        InetAddress::getAllByName)) {
            Thread server = holdOpen(upstream, "");
            long started = System.nanoTime();
            RawHttp.Response response = proxy.get(false, "/0004f2aabbcc.cfg");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertEquals(504, response.status());
            assertTrue(took.compareTo(IDLE) >= 0 && took.compareTo(IDLE.multipliedBy(4)) < 0, "took " + took);
            assertTrue(
                    single(proxy.service.reasons()).message().endsWith("no answer within 1 s"),
                    proxy.service.reasons().toString());
            server.interrupt();
        }
    }

    @Test
    void downloadThatStallsIsCutAfterTheIdleTimeout() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ProxyUnderTest proxy = ProxyUnderTest.start(
                        ProxyUnderTest.options(dataDir, "http://127.0.0.1:" + upstream.getLocalPort() + "/")
                                .withTimeouts(Duration.ofSeconds(5), IDLE),
                        InetAddress::getAllByName)) {
            Thread server = holdOpen(upstream, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000));
            try (Socket phone = proxy.phone(false)) {
                phone.getOutputStream()
                        .write(RawHttp.request("GET", "/fw.sip.ld").getBytes(StandardCharsets.US_ASCII));
                assertEquals(200, RawHttp.readHead(phone.getInputStream()).status());
                long started = System.nanoTime();
                byte[] rest = phone.getInputStream().readAllBytes();
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertEquals(1000, rest.length);
                assertTrue(took.compareTo(IDLE.multipliedBy(4)) < 0, "took " + took);
            }
            assertTrue(awaitFinished(proxy).incomplete());
            server.interrupt();
        }
    }

    /** An upstream that reads the request, sends {@code answer}, then goes silent without closing. */
    private static Thread holdOpen(ServerSocket upstream, String answer) {
        Thread server = new Thread(() -> {
            try (Socket connection = upstream.accept()) {
                RawHttp.readRequestHead(connection.getInputStream());
                connection.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                connection.getOutputStream().flush();
                Thread.sleep(20_000);
            } catch (Exception e) {
                // interrupted at the end of the test
            }
        });
        server.setDaemon(true);
        server.start();
        return server;
    }

    private static Transfer awaitFinished(ProxyUnderTest proxy) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            Transfer transfer = proxy.service.transfers().get(0);
            if (transfer.finished()) {
                return transfer;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never finished: " + proxy.service.transfers());
    }

    private static Reason single(List<Reason> reasons) {
        assertEquals(1, reasons.size(), reasons.toString());
        return reasons.get(0);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Connections that fill a listener's accept queue, so the next SYN is dropped and a connect hangs. */
    private record Fill(List<Socket> sockets) implements AutoCloseable {

        static Fill acceptQueue(ServerSocket listener) throws Exception {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 300);
                    sockets.add(socket);
                } catch (SocketTimeoutException e) {
                    socket.close();
                    return new Fill(sockets);
                }
            }
            throw new IllegalStateException("the accept queue never filled up");
        }

        @Override
        public void close() throws Exception {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
