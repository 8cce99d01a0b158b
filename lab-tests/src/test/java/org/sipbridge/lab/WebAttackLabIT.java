package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on the remote admin listener (HTTPS on the VPN address at bridge.listenPort [343]) with the
 * real jar, as curl and openssl from the lab namespaces: a LAN host that routes to the VPN address, weak
 * TLS, a password-guessing crowd that tries to lock IT out, a cross-site form riding on HTTP Basic, an
 * open redirect after login and dot segments that reach the web shell without a login.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAttackLabIT {

    private static final String USER = "it";
    private static final String PASSWORD = "correct horse";

    @RegisterExtension
    static final BridgeLab LAB =
            BridgeLab.bridge("wa", lab -> """
            {"bridge": {"name": "lab bridge", "servers": ["%s:5060"], "lanAdapter": "%s", "vpnAdapter": "%s"},
             "web": {"bindAddress": "127.0.0.1", "port": 8080}}
            """.formatted(lab.fact("PBX_IP"), lab.fact("LAN_IF"), lab.fact("VPN_IF")));

    private static String remote;

    @BeforeAll
    static void setRemoteAdminLogin() throws Exception {
        String set = setCredentials();
        assertEquals("204", statusOf(set), set);
        remote = "https://" + LAB.lab().fact("BRIDGE_VPN_IP") + ":343";
        awaitStatus("401", "pbx", "-k", remote + "/api/status");
    }

    /** curl from {@code host}; the output ends with the HTTP status on its own line ("000" when nothing answered). */
    private static String curl(String host, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        return LAB.lab().exec(host, command.toArray(String[]::new)).output().trim();
    }

    private static String statusOf(String curlOutput) {
        return curlOutput.substring(curlOutput.lastIndexOf('\n') + 1);
    }

    /** POST /api/admin/credentials on the local UI as the Administration page does it (session cookie + CSRF token). */
    private static String setCredentials() throws Exception {
        String body = "{\"oldUser\":\"\",\"oldPassword\":\"\",\"newUser\":\"" + USER + "\",\"newPassword\":\""
                + PASSWORD + "\"}";
        String script = "jar=$(mktemp) && t=$(curl -sS -c \"$jar\" http://127.0.0.1:8080/api/session"
                + " | sed -n 's/.*\"csrfToken\" *: *\"\\([^\"]*\\)\".*/\\1/p') && curl -sS --max-time 30 -b \"$jar\""
                + " -H \"X-CSRF-Token: $t\" -H 'Content-Type: application/json' -w '\\n%{http_code}'"
                + " --data-binary \"$1\" http://127.0.0.1:8080/api/admin/credentials; rm -f \"$jar\"";
        return LAB.lab().exec("bridge", "sh", "-c", script, "sh", body).output().trim();
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

    private static String login(String sourceAddress, String password) throws Exception {
        return curl(
                "pbx",
                "-k",
                "--interface",
                sourceAddress,
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                "{\"user\":\"" + USER + "\",\"password\":\"" + password + "\"}",
                remote + "/api/login");
    }

    @Test
    @Order(1)
    void aLanHostThatRoutesToTheVpnAddressIsRefused() throws Exception {
        String vpnAddress = LAB.lab().fact("BRIDGE_VPN_IP");
        LabNetwork.Result route = LAB.lab()
                .exec(
                        "phone",
                        "ip",
                        "route",
                        "add",
                        vpnAddress + "/32",
                        "via",
                        LAB.lab().fact("BRIDGE_LAN_IP"));
        assertEquals(0, route.exitCode(), route.output());
        assertEquals(
                0,
                LAB.lab().exec("phone", "ping", "-n", "-c1", "-W2", vpnAddress).exitCode(),
                "the bridge accepts packets for its VPN address on the LAN interface (weak host model)");

        String fromLan = curl("phone", "-k", "-u", USER + ":" + PASSWORD, "https://" + vpnAddress + ":343/api/status");
        assertEquals("000", statusOf(fromLan), "no answer to a LAN source on the VPN-side listener: " + fromLan);
        String fromVpn = curl("pbx", "-k", "-u", USER + ":" + PASSWORD, remote + "/api/status");
        assertEquals("200", statusOf(fromVpn), fromVpn);
    }

    /** openssl s_client from the VPN side; true when a TLS 1.2 or 1.3 session was established. */
    private static boolean handshake(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "sh",
                "-c",
                "openssl s_client -connect \"$0\" \"$@\" </dev/null 2>&1 | grep -q '^New, TLSv1.[23]'",
                LAB.lab().fact("BRIDGE_VPN_IP") + ":343"));
        command.addAll(List.of(options));
        return LAB.lab().exec("pbx", command.toArray(String[]::new)).exitCode() == 0;
    }

    @Test
    @Order(2)
    void onlyTls13AndTls12EcdheAeadSuitesAreAccepted() throws Exception {
        assertTrue(handshake("-tls1_3"), "TLS 1.3");
        assertTrue(handshake("-tls1_2", "-cipher", "ECDHE+AESGCM:ECDHE+CHACHA20"), "TLS 1.2 ECDHE with an AEAD suite");
        for (String weak : List.of(
                "ECDHE-RSA-AES128-SHA256",
                "ECDHE-RSA-AES256-SHA384",
                "ECDHE-RSA-AES128-SHA",
                "ECDHE-ECDSA-AES128-SHA256",
                "AES128-GCM-SHA256",
                "AES256-GCM-SHA384",
                "AES128-SHA256",
                "AES128-SHA",
                "DHE-RSA-AES128-GCM-SHA256")) {
            assertFalse(handshake("-tls1_2", "-cipher", weak + ":@SECLEVEL=0"), "TLS 1.2 with " + weak);
        }
        assertFalse(handshake("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"), "TLS 1.1");
    }

    @Test
    @Order(3)
    void aCrowdOfGuessersCannotLockOutTheAdmin() throws Exception {
        List<String> attackers = new ArrayList<>();
        for (int i = 0; i < 13; i++) { // 65 failures: more than the old global limit of 60 attempts
            String address = "198.19.2." + (101 + i);
            LabNetwork.Result added = LAB.lab().exec("pbx", "ip", "addr", "add", address + "/24", "dev", "eth0");
            assertEquals(0, added.exitCode(), added.output());
            attackers.add(address);
        }
        for (String attacker : attackers) {
            for (int guess = 0; guess < 5; guess++) {
                assertEquals("401", statusOf(login(attacker, "guess " + guess)), attacker + " guess " + guess);
            }
            String blocked = login(attacker, PASSWORD);
            assertEquals("429", statusOf(blocked), "the guesser's own address backs off: " + blocked);
        }
        String admin = login(LAB.lab().fact("PBX_IP"), PASSWORD);
        assertEquals("200", statusOf(admin), "IT still logs in from its own address: " + admin);
        String script = curl("pbx", "-k", "-u", USER + ":" + PASSWORD, remote + "/api/status");
        assertEquals("200", statusOf(script), "and scripts with HTTP Basic still work: " + script);
    }

    @Test
    @Order(4)
    void httpBasicDoesNotLetACrossSiteFormChangeAnything() throws Exception {
        String basic = USER + ":" + PASSWORD;
        String form = curl(
                "pbx",
                "-k",
                "-u",
                basic,
                "-H",
                "Content-Type: application/x-www-form-urlencoded",
                "--data-binary",
                "x=1",
                remote + "/api/bridge/disconnect");
        assertEquals("403", statusOf(form), "a form-encoded POST is what a cross-site form sends: " + form);
        String textPlain = curl(
                "pbx",
                "-k",
                "-u",
                basic,
                "-H",
                "Content-Type: text/plain",
                "--data-binary",
                "{\"bridge\":{\"name\":\"owned\"}}",
                "-X",
                "PUT",
                remote + "/api/config");
        assertEquals("403", statusOf(textPlain), textPlain);
        String noType = curl("pbx", "-k", "-u", basic, "-X", "POST", remote + "/api/bridge/disconnect");
        assertEquals("403", statusOf(noType), "a body-less POST is what a no-cors fetch sends: " + noType);
        String crossOrigin = curl(
                "pbx",
                "-k",
                "-u",
                basic,
                "-H",
                "Content-Type: application/json",
                "-H",
                "Origin: https://evil.example",
                "-X",
                "PUT",
                "--data-binary",
                "{\"bridge\":{\"name\":\"owned\"}}",
                remote + "/api/config");
        assertEquals("403", statusOf(crossOrigin), crossOrigin);
        String crossSite = curl(
                "pbx",
                "-k",
                "-u",
                basic,
                "-H",
                "Content-Type: application/json",
                "-H",
                "Sec-Fetch-Site: cross-site",
                "-X",
                "PUT",
                "--data-binary",
                "{\"bridge\":{\"name\":\"owned\"}}",
                remote + "/api/config");
        assertEquals("403", statusOf(crossSite), crossSite);
        String config = curl("pbx", "-k", "-u", basic, remote + "/api/config");
        assertTrue(config.contains("lab bridge") && !config.contains("owned"), config);

        String script = curl(
                "pbx",
                "-k",
                "-u",
                basic,
                "-H",
                "Content-Type: application/json",
                "-X",
                "PUT",
                "--data-binary",
                "{\"bridge\":{\"name\":\"renamed by script\"}}",
                remote + "/api/config");
        assertEquals("200", statusOf(script), "curl -u with JSON keeps working: " + script);
        assertTrue(curl("pbx", "-k", "-u", basic, remote + "/api/config").contains("renamed by script"));
    }

    @Test
    @Order(5)
    void theLoginPageNeverRedirectsAway() throws Exception {
        for (String next : List.of(
                "//evil.example/",
                "/%09/evil.example",
                "/%5Cevil.example",
                "%2F%5Cevil.example",
                "https://evil.example/",
                "%2F%2Fevil.example",
                "javascript:alert(1)",
                "/%0A/evil.example")) {
            String page = curl("pbx", "-k", "-g", "-o", "/dev/null", "-D", "-", remote + "/login.html?next=" + next);
            assertEquals("302", statusOf(page), "next=" + next + ": " + page);
            assertTrue(
                    page.toLowerCase(Locale.ROOT).contains("location: /login.html\r\n"), "next=" + next + ": " + page);
        }
        assertEquals(
                "200",
                statusOf(curl("pbx", "-k", "-o", "/dev/null", remote + "/login.html?next=%2Fstatus%23sessions")));
    }

    @Test
    @Order(6)
    void dotSegmentsDoNotReachTheShellWithoutALogin() throws Exception {
        for (String path : List.of(
                "/assets/../index.html",
                "/assets/%2e%2e/index.html",
                "/assets/%2E%2E/index.html",
                "/assets/..%2findex.html",
                "/assets/..%5cindex.html",
                "/assets/.%2e/index.html",
                "/assets/..;/index.html",
                "/assets//../index.html",
                "/assets/./../index.html")) {
            String response = curl("pbx", "-k", "--path-as-is", remote + path);
            assertEquals("400", statusOf(response), path + ": " + response);
            assertFalse(response.contains("<nav"), path + " served the shell: " + response);
        }
        assertEquals("302", statusOf(curl("pbx", "-k", "-o", "/dev/null", remote + "/index.html")));
        assertEquals("200", statusOf(curl("pbx", "-k", "-o", "/dev/null", remote + "/assets/login.js")));
        assertNotEquals("", LAB.daemon().process().output());
    }
}
