package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real DHCP client (scapy) in the phone namespace: a DHCPINFORM gets the bridge's provisioning
 * URL in option 160, unicast to the phone; DISCOVER, REQUEST and a stranger's INFORM get nothing.
 */
class DhcpLabIT {

    private static final String POLYCOM_MAC = "00:04:f2:aa:bb:cc";

    @RegisterExtension
    static final BridgeLab LAB = BridgeLab.bridge("dh", "");

    private static JsonNode client(String kind, String ciaddr) throws Exception {
        LabNetwork.Result result = LAB.lab()
                .exec(
                        "phone",
                        "/usr/bin/python3",
                        LabNetwork.REPO.resolve("lab/dhcp/client.py").toString(),
                        kind,
                        "eth0",
                        ciaddr,
                        POLYCOM_MAC,
                        "3");
        assertEquals(0, result.exitCode(), result.output());
        String json = result.output()
                .lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no JSON from client.py: " + result.output()));
        return new ObjectMapper().readTree(json);
    }

    @Test
    void anInformGetsTheProvisioningUrlInOption160() throws Exception {
        JsonNode reply = client("inform", LAB.lab().fact("PHONE_IP"));
        assertTrue(
                reply.path("answered").asBoolean(),
                reply.toString() + LAB.daemon().process().output());
        assertEquals(LAB.lab().fact("PHONE_IP"), reply.path("ipDst").asText(), "unicast to ciaddr");
        assertEquals(68, reply.path("udpDport").asInt());
        assertEquals(2, reply.path("op").asInt());
        assertEquals(0x5B1D6E01L, reply.path("xid").asLong());
        assertEquals("0.0.0.0", reply.path("yiaddr").asText());
        assertEquals(POLYCOM_MAC, reply.path("chaddr").asText());
        JsonNode options = reply.path("options");
        assertEquals("5", options.path("53").asText(), "DHCPACK");
        assertEquals(LAB.lab().fact("BRIDGE_LAN_IP"), options.path("54").asText(), "server identifier");
        assertEquals(
                "http://" + LAB.lab().fact("BRIDGE_LAN_IP") + ":8088/",
                options.path("160").asText(),
                options.toString());
        assertFalse(options.has("51"), "an INFORM answer carries no lease");
    }

    @Test
    void discoverRequestAndStrangersGetNoAnswer() throws Exception {
        assertFalse(
                client("discover", LAB.lab().fact("PHONE_IP")).path("answered").asBoolean(),
                "never a rogue DHCP server");
        assertFalse(
                client("request", LAB.lab().fact("PHONE_IP")).path("answered").asBoolean());
        assertEquals(
                0,
                LAB.lab()
                        .exec("phone", "ip", "addr", "add", "198.18.9.10/24", "dev", "eth0")
                        .exitCode());
        try {
            assertFalse(client("inform", "198.18.9.10").path("answered").asBoolean(), "ciaddr outside the LAN subnet");
        } finally {
            LAB.lab().exec("phone", "ip", "addr", "del", "198.18.9.10/24", "dev", "eth0");
        }
    }
}
