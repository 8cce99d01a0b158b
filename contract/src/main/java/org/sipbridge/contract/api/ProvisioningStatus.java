package org.sipbridge.contract.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/provisioning}: the DHCP responder's counters and last phone, the provisioning proxy's recent
 * transfers, and the Polycom configuration injection. dhcp-responder ({@code ApiDhcp}) and provisioning-proxy
 * ({@code ApiProvisioning}) map their own records to these; the Bridge status page reads {@code phoneConfig}
 * (bridge-daemon's {@code ProvisioningJsonTest} checks the names).
 */
public record ProvisioningStatus(Dhcp dhcp, List<Transfer> transfers, PhoneConfig phoneConfig) {

    public ProvisioningStatus {
        transfers = List.copyOf(transfers);
    }

    /**
     * The responder's counters since it started.
     *
     * @param ignored   requests not answered, per reason name (every reason, in the responder's order)
     * @param lastPhone the last DHCPINFORM seen
     */
    public record Dhcp(
            long informsSeen,
            long answered,
            Map<String, Long> ignored,
            long malformed,
            long sendFailures,
            Optional<LastPhone> lastPhone) {

        public Dhcp {
            ignored = Collections.unmodifiableMap(new LinkedHashMap<>(ignored)); // keeps the responder's order
        }
    }

    /**
     * The last DHCPINFORM: which device asked, when, and why it was not answered (the reason's name), if not.
     */
    public record LastPhone(
            String mac, String clientAddress, String vendorClass, Instant seenAt, Optional<String> ignoredBecause) {}

    /**
     * One request through the proxy, running or finished.
     *
     * @param status     the HTTP status sent to the phone; 0 until the response starts
     * @param direction  {@code DOWNLOAD} (to the phone) or {@code UPLOAD}
     * @param totalBytes the announced size, or -1
     * @param duration   written as seconds with a fraction ({@code 1.500000000})
     */
    public record Transfer(
            String method,
            String path,
            int status,
            String direction,
            long bytes,
            long totalBytes,
            long bytesPerSecond,
            Instant startedAt,
            Duration duration,
            boolean finished) {}

    /**
     * The injection: on or off, what a phone is told now, and which phones must provision again.
     *
     * @param outboundProxy {@code address:port}, empty without a LAN address
     * @param transport     the Polycom transport name ({@code UDPOnly}, {@code TCPOnly}, {@code TLS})
     * @param syslogServer  empty when the receiver is off
     * @param phones        phones that fetched the bridge's file, most recent first
     * @param mustProvision those told another address than the current one
     */
    public record PhoneConfig(
            boolean enabled,
            String outboundProxy,
            String transport,
            String syslogServer,
            List<ServedPhone> phones,
            List<ServedPhone> mustProvision) {

        public PhoneConfig {
            phones = List.copyOf(phones);
            mustProvision = List.copyOf(mustProvision);
        }
    }

    /** A phone (MAC, lower case) told to use {@code bridgeAddress} as outbound proxy at {@code at}. */
    public record ServedPhone(String mac, String bridgeAddress, Instant at) {}
}
