package org.sipbridge.rtp.relay;

import org.sipbridge.rtp.quality.Direction;

/** Which socket of which session a tapped packet crossed: fixed per socket, built once, never per packet. */
public record TapPoint(String callId, int stream, Direction direction, boolean rtcpPort) {}
