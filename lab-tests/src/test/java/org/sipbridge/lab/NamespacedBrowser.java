package org.sipbridge.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Headless Chromium inside a lab namespace, so that it reaches the web UI on that namespace's
 * 127.0.0.1. chromedriver runs in the namespace too; its HTTP port reaches the test through a Unix
 * socket (the file system is shared between namespaces, the network is not): a small Python relay
 * in the namespace joins the socket to chromedriver, and this class joins a local port to the socket.
 */
final class NamespacedBrowser implements AutoCloseable {

    private static final int DRIVER_PORT = 9515;
    /** Unix socket → 127.0.0.1:port inside the namespace, one thread pair per connection. */
    private static final String RELAY = """
            import os, socket, sys, threading
            path, port = sys.argv[1], int(sys.argv[2])
            server = socket.socket(socket.AF_UNIX)
            server.bind(path)
            server.listen(16)
            def pump(a, b):
                try:
                    while True:
                        data = a.recv(65536)
                        if not data:
                            break
                        b.sendall(data)
                except OSError:
                    pass
                finally:
                    for s in (a, b):
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
            while True:
                client, _ = server.accept()
                upstream = socket.create_connection(("127.0.0.1", port))
                threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
                threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
            """;

    private final LabProcess driver;
    private final LabProcess relay;
    private final ServerSocketChannel local;
    private final RemoteWebDriver browser;

    NamespacedBrowser(LabNetwork lab, String host, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path socket = dir.resolve("chromedriver.sock");
        driver = lab.start(
                host,
                dir.resolve("chromedriver"),
                Map.of(),
                "/usr/bin/chromedriver",
                "--port=" + DRIVER_PORT,
                "--log-path=" + dir.resolve("chromedriver.log"));
        relay = lab.start(
                host,
                dir.resolve("relay"),
                Map.of(),
                "python3",
                "-c",
                RELAY,
                socket.toString(),
                String.valueOf(DRIVER_PORT));
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(100);
        }
        local = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> forward(socket), "chromedriver-forward");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread.sleep(500); // chromedriver binds its port
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1366,900",
                "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")));
        int port = ((InetSocketAddress) local.getLocalAddress()).getPort();
        browser = new RemoteWebDriver(new URL("http://127.0.0.1:" + port), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    RemoteWebDriver driver() {
        return browser;
    }

    private void forward(Path socket) {
        while (local.isOpen()) {
            try {
                SocketChannel client = local.accept();
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(
                () -> {
                    ByteBuffer buffer = ByteBuffer.allocate(65536);
                    try (from;
                            to) {
                        while (from.read(buffer) >= 0) {
                            buffer.flip();
                            while (buffer.hasRemaining()) {
                                to.write(buffer);
                            }
                            buffer.clear();
                        }
                    } catch (IOException e) {
                        // the other side closed: both are closed by try-with-resources
                    }
                },
                "chromedriver-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws Exception {
        try {
            browser.quit();
        } finally {
            local.close();
            relay.close();
            driver.close();
        }
    }
}
