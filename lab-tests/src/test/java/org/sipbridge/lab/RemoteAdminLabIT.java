package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Remote administration with the real jar: IT on the VPN side (the pbx namespace) reaches the web UI
 * over HTTPS at the VPN address and bridge.listenPort [343] only while a login is set; the phone's LAN
 * never sees it; setting and clearing the login through the API starts and stops the listener.
 */
class RemoteAdminLabIT {

    private static final String PASSWORD = "correct horse";

    @RegisterExtension
    static final BridgeLab LAB = BridgeLab.namespaces("ra");

    /** curl from {@code host}; the output ends with the HTTP status on its own line ("000" when nothing answered). */
    private static String curl(String host, String... args) throws Exception {
        List<String> command =
                new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        return LAB.lab().exec(host, command.toArray(String[]::new)).output().trim();
    }

    private static String statusOf(String curlOutput) {
        return curlOutput.substring(curlOutput.lastIndexOf('\n') + 1);
    }

    private static String awaitStatus(String expected, String host, String... args) throws Exception {
        String last = "";
        for (int i = 0; i < 60; i++) {
            last = curl(host, args);
            if (statusOf(last).equals(expected)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("expected HTTP " + expected + " but got: " + last);
    }

    @Test
    void theUiIsReachableOverTheVpnWithHttpsOnlyWhileALoginIsSet() throws Exception {
        String config = """
                {"bridge": {"name": "lab bridge", "servers": ["%s:5060"], "lanAdapter": "%s", "vpnAdapter": "%s"},
                 "web": {"bindAddress": "127.0.0.1", "port": 8080}}
                """.formatted(
                LAB.lab().fact("PBX_IP"), LAB.lab().fact("LAN_IF"), LAB.lab().fact("VPN_IF"));
        Path work = LAB.dir().resolve("remote");
        String remote = "https://" + LAB.lab().fact("BRIDGE_VPN_IP") + ":343";
        try (BridgeDaemon daemon = BridgeDaemon.start(LAB.lab(), work, config)) {
            assertEquals("000", statusOf(curl("pbx", "-k", remote + "/api/status")), "no remote UI without a login");

            String set = daemon.changeCredentials(
                    "{\"oldUser\":\"\",\"oldPassword\":\"\",\"newUser\":\"it\",\"newPassword\":\"" + PASSWORD + "\"}");
            assertEquals("204", statusOf(set), set);

            Path certificate = work.resolve("data")
                    .resolve("remote-admin-cert.pem"); // ListenerCertificate.certificateFile("remote-admin")
            String unauthenticated =
                    awaitStatus("401", "pbx", "--cacert", certificate.toString(), remote + "/api/status");
            assertTrue(unauthenticated.contains("Login required"), unauthenticated);
            String page = curl("pbx", "--cacert", certificate.toString(), "-o", "/dev/null", "-D", "-", remote + "/");
            assertEquals("302", statusOf(page), page);
            assertTrue(page.toLowerCase(Locale.ROOT).contains("location: /login.html?next=%2f"), page);
            String status =
                    curl("pbx", "--cacert", certificate.toString(), "-u", "it:" + PASSWORD, remote + "/api/status");
            assertEquals("200", statusOf(status), status);
            assertTrue(status.contains("lab bridge"), status);
            String login = curl(
                    "pbx",
                    "--cacert",
                    certificate.toString(),
                    "-D",
                    "-",
                    "-H",
                    "Content-Type: application/json",
                    "--data-binary",
                    "{\"user\":\"it\",\"password\":\"" + PASSWORD + "\"}",
                    remote + "/api/login");
            assertEquals("200", statusOf(login), login);
            assertTrue(login.contains("; Secure"), "the session cookie is Secure over HTTPS: " + login);
            assertEquals(
                    "000",
                    statusOf(curl("phone", "-k", "https://" + LAB.lab().fact("BRIDGE_LAN_IP") + ":343/api/status")),
                    "never on the LAN side");

            String cleared = daemon.changeCredentials(
                    "{\"oldUser\":\"it\",\"oldPassword\":\"" + PASSWORD + "\",\"newUser\":\"\",\"newPassword\":\"\"}",
                    "-u",
                    "it:'" + PASSWORD + "'");
            assertEquals("204", statusOf(cleared), cleared);
            awaitStatus("000", "pbx", "-k", remote + "/api/status");
            assertNotEquals("", daemon.status().path("state").asText(), "the local UI is open again");
            String log = daemon.process().output();
            assertTrue(
                    log.contains("Remote administration listening on https://"
                            + LAB.lab().fact("BRIDGE_VPN_IP") + ":343"),
                    log);
            assertTrue(log.contains("Remote administration stopped"), log);
        }
    }
}
