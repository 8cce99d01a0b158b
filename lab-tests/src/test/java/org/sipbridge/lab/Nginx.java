package org.sipbridge.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The lab's office provisioning server: lab/nginx/run.sh in the PBX namespace, serving a docroot
 * over HTTP and HTTPS with PUT enabled. Its work dir holds nginx.conf, the pid file, temp files,
 * {@code access.log} and {@code tls/server.crt} / {@code server.key}.
 */
final class Nginx implements AutoCloseable {

    static final int HTTP_PORT = 8000;
    static final int HTTPS_PORT = 8443;

    private final LabNetwork lab;
    private final Path workDir;
    private final Path docroot;
    private final String address;
    private LabProcess process;

    private Nginx(LabNetwork lab, Path workDir, Path docroot, String address) {
        this.lab = lab;
        this.workDir = workDir;
        this.docroot = docroot;
        this.address = address;
    }

    /** Starts nginx on {@code address}:8000 (HTTP) and :8443 (HTTPS); returns once it listens. */
    static Nginx start(LabNetwork lab, Path workDir, Path docroot, String address)
            throws IOException, InterruptedException {
        Nginx nginx = new Nginx(lab, workDir, docroot, address);
        nginx.start();
        return nginx;
    }

    /**
     * A self-signed server certificate (RSA 2048, CA:false, serverAuth) naming {@code ipAddress}, made
     * with openssl where run.sh looks for it ({@code <workDir>/tls/server.crt}, {@code server.key}).
     */
    static Path selfSignedCertificate(Path workDir, String subject, String ipAddress)
            throws IOException, InterruptedException {
        Path tls = Files.createDirectories(workDir.resolve("tls"));
        Path certificate = tls.resolve("server.crt");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "30",
                "-subj",
                subject,
                "-addext",
                "subjectAltName=IP:" + ipAddress,
                "-addext",
                "basicConstraints=critical,CA:FALSE",
                "-addext",
                "extendedKeyUsage=serverAuth",
                "-keyout",
                tls.resolve("server.key").toString(),
                "-out",
                certificate.toString());
        return certificate;
    }

    /**
     * A lab CA ({@code <caDir>/ca.crt}, made once) and a server certificate it signs for {@code ipAddress}
     * where run.sh looks for it, as a company's own CA signs its configuration server's; returns the CA's
     * certificate (what IT gives the bridges to trust).
     */
    static Path caSignedCertificate(Path workDir, Path caDir, String subject, String ipAddress)
            throws IOException, InterruptedException {
        Files.createDirectories(caDir);
        Path ca = caDir.resolve("ca.crt");
        Path caKey = caDir.resolve("ca.key");
        if (!Files.exists(ca)) {
            openssl(
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "30",
                    "-subj",
                    "/CN=sipbridge lab CA/O=sipbridge lab",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                    "-keyout",
                    caKey.toString(),
                    "-out",
                    ca.toString());
        }
        Path tls = Files.createDirectories(workDir.resolve("tls"));
        Path request = tls.resolve("server.csr");
        openssl(
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                subject,
                "-addext",
                "subjectAltName=IP:" + ipAddress,
                "-addext",
                "basicConstraints=critical,CA:FALSE",
                "-addext",
                "extendedKeyUsage=serverAuth",
                "-keyout",
                tls.resolve("server.key").toString(),
                "-out",
                request.toString());
        openssl(
                "x509",
                "-req",
                "-in",
                request.toString(),
                "-CA",
                ca.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-days",
                "30",
                "-copy_extensions",
                "copyall",
                "-out",
                tls.resolve("server.crt").toString());
        return ca;
    }

    private static void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        LabNetwork.Result result = LabNetwork.run(command, 60);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("openssl failed: " + command + "\n" + result.output());
        }
    }

    /** Starts it again after {@link #stop()}, with the same work dir and docroot. */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("nginx is already running");
        }
        process = lab.start(
                "pbx",
                workDir,
                Map.of(
                        "LISTEN_IP",
                        address,
                        "HTTP_PORT",
                        String.valueOf(HTTP_PORT),
                        "HTTPS_PORT",
                        String.valueOf(HTTPS_PORT)),
                LabNetwork.REPO.resolve("lab/nginx/run.sh").toString(),
                workDir.toString(),
                docroot.toString());
        process.awaitOutput("start worker process ", Duration.ofSeconds(20));
    }

    /** SIGTERM: nginx closes its listeners, so new connections are refused (RST). */
    void stop() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }

    String httpUrl() {
        return "http://" + address + ":" + HTTP_PORT + "/";
    }

    String httpsUrl() {
        return "https://" + address + ":" + HTTPS_PORT + "/";
    }

    Path docroot() {
        return docroot;
    }

    /** Writes {@code content} to {@code path} under the docroot atomically (nginx never serves half a file). */
    void publish(String path, String content) throws IOException {
        Path target = docroot.resolve(path);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    Path certificate() {
        return workDir.resolve("tls/server.crt");
    }

    /** One line per request: remote address, request line, status, bytes, then host, xff, range... */
    List<String> accessLog() throws IOException {
        Path log = workDir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    String output() {
        return process == null ? "" : process.output();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
