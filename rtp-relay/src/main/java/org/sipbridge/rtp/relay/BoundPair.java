package org.sipbridge.rtp.relay;

import io.netty.channel.socket.DatagramChannel;
import org.sipbridge.rtp.ports.PortPair;

/** An RTP and an RTCP socket bound on one adapter, on the two ports of {@link #ports}. */
public record BoundPair(PortPair ports, DatagramChannel rtp, DatagramChannel rtcp) {}
