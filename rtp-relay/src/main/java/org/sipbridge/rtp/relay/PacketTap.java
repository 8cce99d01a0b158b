package org.sipbridge.rtp.relay;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * The seam for diagnostic captures: sees every packet the relay forwards, on the event loop, after the
 * stats and before the write. An implementation must not block (queue a copy for a disk thread) and must
 * neither keep nor modify {@code packet}: it is the very buffer being forwarded.
 */
@FunctionalInterface
public interface PacketTap {

    /**
     * @param sender      where the packet came from
     * @param ingress     the bridge socket it arrived on
     * @param egress      the bridge socket it leaves from
     * @param destination where it is sent
     */
    void relayed(
            TapPoint point,
            InetSocketAddress sender,
            InetSocketAddress ingress,
            InetSocketAddress egress,
            InetSocketAddress destination,
            ByteBuf packet);

    /** Chooses the tap of a new session; {@code null} means none and the packet path skips the call. */
    @FunctionalInterface
    interface Factory {
        Factory NONE = callId -> null;

        PacketTap forSession(String callId);
    }
}
