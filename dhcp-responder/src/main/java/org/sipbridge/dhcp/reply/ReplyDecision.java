package org.sipbridge.dhcp.reply;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.sipbridge.dhcp.codec.DhcpMessage;

/** What to do with a request: send {@link Reply#packet()} to {@link Reply#destination()}, or nothing and why. */
public sealed interface ReplyDecision {

    record Reply(DhcpMessage packet, InetSocketAddress destination) implements ReplyDecision {
        public Reply {
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(destination, "destination");
        }
    }

    record Ignored(IgnoreReason reason) implements ReplyDecision {
        public Ignored {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
