package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/phones} with real peers (#16): a phone in the phone namespace sends a DHCPINFORM
 * (scapy, vendor class {@code Polycom-VVX450}), fetches its {@code <MAC>.cfg} through the
 * provisioning proxy (curl) and registers with Kamailio through the bridge (SIPp); the bridge shows
 * one phone with all three. With {@code bridge.maxPhones} 1, a second device on the LAN is refused
 * with 403 and the refusal is on the list. Twenty phones and more are another lab test's job.
 */
class PhonesApiLabIT extends PbxLabTest {

    private static final String MAC = "00:04:f2:ab:cd:ef";
    private static final String SECOND_DEVICE = "198.18.1.77";

    @BeforeAll
    static void startLab() throws Exception {
        startLab("ph");
    }

    private void startBridge(String name, int maxPhones) throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve(name), """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0", "maxPhones": %d}}
                """.formatted(lab.fact("PBX_IP"), maxPhones));
        awaitServerState("UP");
    }

    private LabNetwork.Result register(String from, int port, String user) throws Exception {
        return Sipp.run(
                lab,
                "phone",
                "phone-register.xml",
                from,
                port,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                user,
                "-ap",
                "pass" + user);
    }

    /** /api/phones once {@code ready} holds (the proxy reports a request when its exchange completes). */
    private JsonNode phonesWhen(Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode phones = daemon.get("/api/phones");
        while (!ready.test(phones) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            phones = daemon.get("/api/phones");
        }
        return phones;
    }

    @Test
    void aPhoneSeenByDhcpProvisioningAndSipIsOnePhoneWithAllThree() throws Exception {
        startBridge("one-phone", 32);
        LabNetwork.Result inform = lab.exec(
                "phone",
                "/usr/bin/python3",
                LabNetwork.REPO.resolve("lab/dhcp/client.py").toString(),
                "inform",
                "eth0",
                lab.fact("PHONE_IP"),
                MAC,
                "3");
        assertTrue(inform.output().contains("\"answered\": true"), inform.output());
        LabNetwork.Result fetch = lab.exec(
                "phone",
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--max-time",
                "5",
                "http://" + lab.fact("BRIDGE_LAN_IP") + ":8088/0004f2abcdef.cfg");
        assertEquals(0, fetch.exitCode(), fetch.output());
        LabNetwork.Result registered = register(lab.fact("PHONE_IP"), 5061, "1001");
        assertEquals(
                0, registered.exitCode(), registered.output() + daemon.process().output());

        JsonNode list = phonesWhen(l -> l.path("phones").path(0).path("files").size() > 0);
        assertEquals(1, list.path("phones").size(), list.toPrettyString());
        assertEquals(32, list.path("maxPhones").asInt());
        assertEquals(1, list.path("registeredPhones").asInt());
        assertEquals(0, list.path("refusedPhones").asInt());
        JsonNode phone = list.path("phones").path(0);
        assertEquals(MAC, phone.path("mac").asText());
        assertEquals(lab.fact("PHONE_IP"), phone.path("ip").asText());
        assertEquals("Polycom-VVX450", phone.path("vendorClass").asText());
        assertEquals("Polycom-VVX450", phone.path("model").asText());
        assertEquals("sipbridge-lab-phone", phone.path("userAgent").asText());
        assertTrue(phone.path("lastInform").path("answered").asBoolean(), phone.toString());
        assertEquals(
                "/0004f2abcdef.cfg", phone.path("files").path(0).path("path").asText());
        assertEquals(
                fetch.output().trim(),
                phone.path("files").path(0).path("status").asText());
        JsonNode registration = phone.path("registrations").path(0);
        assertEquals("sip:1001@sipbridge.lab", registration.path("aor").asText());
        assertEquals("REGISTERED", registration.path("state").asText(), registration.toString());
        assertEquals(lab.fact("PBX_IP") + ":5060", registration.path("server").asText());
    }

    @Test
    void beyondMaxPhonesANewDeviceGets403AndTheRefusalIsCountedAndShown() throws Exception {
        startBridge("limit", 1);
        LabNetwork.Result first = register(lab.fact("PHONE_IP"), 5062, "1001");
        assertEquals(0, first.exitCode(), first.output() + daemon.process().output());
        assertEquals(
                0,
                lab.exec("phone", "ip", "addr", "add", SECOND_DEVICE + "/24", "dev", "eth0")
                        .exitCode());
        try {
            LabNetwork.Result second = Sipp.run(
                    lab,
                    "phone",
                    "register-refused.xml",
                    SECOND_DEVICE,
                    5063,
                    lab.fact("BRIDGE_LAN_IP") + ":8060",
                    "-key",
                    "domain",
                    "sipbridge.lab",
                    "-s",
                    "1002");
            assertEquals(0, second.exitCode(), "the second device must get 403: " + second.output());
        } finally {
            lab.exec("phone", "ip", "addr", "del", SECOND_DEVICE + "/24", "dev", "eth0");
        }
        assertTrue(
                pbx.locations().stream().noneMatch(l -> l.contains("sip:1002@")),
                "the refused REGISTER reached the PBX");

        JsonNode list = daemon.get("/api/phones");
        assertEquals(1, list.path("registeredPhones").asInt(), list.toPrettyString());
        assertEquals(1, list.path("refusedPhones").asInt());
        assertEquals(SECOND_DEVICE, list.path("lastRefused").path("address").asText());
        JsonNode refused = list.path("phones").path(0);
        assertEquals(SECOND_DEVICE, refused.path("ip").asText());
        assertEquals(
                "FAILED", refused.path("registrations").path(0).path("state").asText());
        assertEquals(
                "Phone limit of this bridge reached",
                refused.path("registrations").path(0).path("reason").asText());
        assertTrue(
                daemon.process().output().contains("Refused the registration of a new phone at " + SECOND_DEVICE),
                daemon.process().output());
        String metrics = daemon.getText("/metrics");
        assertTrue(metrics.contains("sipbridge_phones_refused_total 1"), metrics);
    }
}
