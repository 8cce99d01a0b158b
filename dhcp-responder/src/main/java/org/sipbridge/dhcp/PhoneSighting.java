package org.sipbridge.dhcp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.Ipv4;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.dhcp.reply.ReplyDecision;

/**
 * The last DHCPINFORM seen, for the status page: which device asked ({@code 00:04:f2:12:34:56},
 * {@code 198.18.1.10}, {@code Polycom-VVX450}), when, and whether it was answered.
 */
public record PhoneSighting(
        String mac, String clientAddress, String vendorClass, Instant seenAt, Optional<IgnoreReason> ignoredBecause) {

    public PhoneSighting {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(vendorClass, "vendorClass");
        Objects.requireNonNull(seenAt, "seenAt");
        Objects.requireNonNull(ignoredBecause, "ignoredBecause");
    }

    static PhoneSighting of(DhcpMessage inform, ReplyDecision decision, Instant seenAt) {
        Optional<IgnoreReason> ignored =
                decision instanceof ReplyDecision.Ignored i ? Optional.of(i.reason()) : Optional.empty();
        return new PhoneSighting(
                inform.clientHardwareAddress().toHex(":"),
                Ipv4.text(inform.ciaddr()),
                inform.options().vendorClassIdentifier().orElse(""),
                seenAt,
                ignored);
    }

    public boolean answered() {
        return ignoredBecause.isEmpty();
    }
}
