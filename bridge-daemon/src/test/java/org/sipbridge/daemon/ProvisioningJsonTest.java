package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.api.ProvisioningStatus;
import org.sipbridge.dhcp.DhcpStats;
import org.sipbridge.dhcp.PhoneSighting;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.provisioning.inject.PhoneConfigStatus;
import org.sipbridge.provisioning.inject.ProvisionedPhones;
import org.sipbridge.provisioning.transfer.Transfer;
import org.sipbridge.web.Json;

/**
 * {@code GET /api/provisioning} as the Bridge status page reads it: the DHCP responder's, the proxy's and the
 * injection's real records, as the daemon hands them to web-admin and its {@link Json} writes them.
 */
class ProvisioningJsonTest {

    private static final Instant T0 = Instant.parse("2026-12-05T01:00:00Z");

    /** What {@code pages/status.js} ({@code phoneConfigCard}) reads. */
    static final List<String> READ_BY_THE_UI = List.of(
            "phoneConfig.enabled",
            "phoneConfig.outboundProxy",
            "phoneConfig.transport",
            "phoneConfig.syslogServer",
            "phoneConfig.mustProvision[].mac",
            "phoneConfig.phones[].mac",
            "phoneConfig.phones[].bridgeAddress",
            "phoneConfig.phones[].at");

    static ProvisioningStatus provisioning() {
        DhcpStats dhcp = new DhcpStats(
                5,
                3,
                Map.of(IgnoreReason.MAC_NOT_ALLOWED, 2L),
                1,
                0,
                Optional.of(new PhoneSighting(
                        "00:04:f2:aa:bb:cc",
                        "198.18.1.10",
                        "Polycom-VVX450",
                        T0,
                        Optional.of(IgnoreReason.MAC_NOT_ALLOWED))));
        Transfer transfer = new Transfer(
                "GET",
                "/0004f2aabbcc.cfg",
                200,
                Transfer.Direction.DOWNLOAD,
                1200,
                1500,
                800,
                T0.plusSeconds(1),
                Duration.ofMillis(1500),
                true);
        ProvisionedPhones.Served told = new ProvisionedPhones.Served("00:04:f2:aa:bb:cc", "198.18.1.1:5060", T0);
        ProvisionedPhones.Served old = new ProvisionedPhones.Served("00:04:f2:dd:ee:ff", "198.18.1.2:5060", T0);
        PhoneConfigStatus phoneConfig =
                new PhoneConfigStatus(true, "198.18.1.1:5060", "TCPOnly", "", List.of(told, old), List.of(old));
        return ProvisioningApi.of(dhcp, List.of(transfer), phoneConfig);
    }

    @Test
    void theJsonIsPinned() {
        assertEquals(PINNED, Json.write(provisioning()));
    }

    @Test
    void itHasEveryFieldTheStatusPageReads() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Json.write(provisioning()));

        JsonFields.assertPresent(json, READ_BY_THE_UI);
        assertEquals(
                "00:04:f2:dd:ee:ff", json.at("/phoneConfig/mustProvision/0/mac").asText());
    }

    /** The JSON as it was while the daemon handed web-admin the modules' own records (before issue #20's records). */
    private static final String PINNED = """
            {
              "dhcp" : {
                "informsSeen" : 5,
                "answered" : 3,
                "ignored" : {
                  "NOT_BOOTREQUEST" : 0,
                  "NOT_DHCP" : 0,
                  "NOT_INFORM" : 0,
                  "NO_CLIENT_ADDRESS" : 0,
                  "OUTSIDE_LAN_SUBNET" : 0,
                  "NOT_A_HOST_ADDRESS" : 0,
                  "RELAY_OUTSIDE_LAN_SUBNET" : 0,
                  "SOURCE_MISMATCH" : 0,
                  "MAC_NOT_ALLOWED" : 2,
                  "PROVISIONING_OFF" : 0,
                  "NO_LAN_ADDRESS" : 0
                },
                "malformed" : 1,
                "sendFailures" : 0,
                "lastPhone" : {
                  "mac" : "00:04:f2:aa:bb:cc",
                  "clientAddress" : "198.18.1.10",
                  "vendorClass" : "Polycom-VVX450",
                  "seenAt" : "2026-12-05T01:00:00Z",
                  "ignoredBecause" : "MAC_NOT_ALLOWED"
                }
              },
              "transfers" : [ {
                "method" : "GET",
                "path" : "/0004f2aabbcc.cfg",
                "status" : 200,
                "direction" : "DOWNLOAD",
                "bytes" : 1200,
                "totalBytes" : 1500,
                "bytesPerSecond" : 800,
                "startedAt" : "2026-12-05T01:00:01Z",
                "duration" : 1.500000000,
                "finished" : true
              } ],
              "phoneConfig" : {
                "enabled" : true,
                "outboundProxy" : "198.18.1.1:5060",
                "transport" : "TCPOnly",
                "syslogServer" : "",
                "phones" : [ {
                  "mac" : "00:04:f2:aa:bb:cc",
                  "bridgeAddress" : "198.18.1.1:5060",
                  "at" : "2026-12-05T01:00:00Z"
                }, {
                  "mac" : "00:04:f2:dd:ee:ff",
                  "bridgeAddress" : "198.18.1.2:5060",
                  "at" : "2026-12-05T01:00:00Z"
                } ],
                "mustProvision" : [ {
                  "mac" : "00:04:f2:dd:ee:ff",
                  "bridgeAddress" : "198.18.1.2:5060",
                  "at" : "2026-12-05T01:00:00Z"
                } ]
              }
            }""";
}
