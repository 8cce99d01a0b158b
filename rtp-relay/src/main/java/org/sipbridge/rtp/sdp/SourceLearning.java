package org.sipbridge.rtp.sdp;

import java.net.InetAddress;

/**
 * Learning mode on the PBX side ({@code media.vpnSourceLearning}): which source a VPN leg may latch to when
 * nothing has come from the address the PBX's SDP announced (a multi-homed media server, an SBC in front of
 * it). Called on the event loop before a leg is latched, so it must be pure and quick.
 */
@FunctionalInterface
public interface SourceLearning {

    boolean mayLatch(InetAddress source);
}
