package org.sipbridge.dhcp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.sipbridge.dhcp.reply.IgnoreReason;

/**
 * A snapshot of the responder's counters since start, for the status page and metrics.
 *
 * @param informsSeen  well-formed DHCPINFORM requests received (answered or not)
 * @param answered     DHCPACKs handed to the socket
 * @param ignored      well-formed requests not answered, per reason (every reason present, zero or more)
 * @param malformed    datagrams that were not DHCP (dropped)
 * @param sendFailures DHCPACKs the socket could not send
 * @param lastPhone    the last DHCPINFORM seen
 */
public record DhcpStats(
        long informsSeen,
        long answered,
        Map<IgnoreReason, Long> ignored,
        long malformed,
        long sendFailures,
        Optional<PhoneSighting> lastPhone) {

    public DhcpStats {
        EnumMap<IgnoreReason, Long> complete = new EnumMap<>(IgnoreReason.class);
        for (IgnoreReason reason : IgnoreReason.values()) {
            complete.put(reason, ignored.getOrDefault(reason, 0L));
        }
        ignored = Collections.unmodifiableMap(complete);
    }

    public long ignored(IgnoreReason reason) {
        return ignored.get(reason);
    }

    public long ignoredTotal() {
        return ignored.values().stream().mapToLong(Long::longValue).sum();
    }
}
