package org.sipbridge.rtp.sdp;

import java.math.BigInteger;

/** The {@code o=} fields the bridge keeps ({@code username}, {@code sess-id}) and the version it replaces. */
public record Origin(String username, String sessionId, BigInteger version) {}
