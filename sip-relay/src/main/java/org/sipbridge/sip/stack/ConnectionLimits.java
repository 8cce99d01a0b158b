package org.sipbridge.sip.stack;

import java.time.Duration;

/**
 * Bounds on the connections a SIP listener (TCP or TLS) accepts. jain-sip's own cap is one
 * counter for everyone that blocks its accept thread when full (and leaks a slot on every failed
 * TLS handshake), so a few dozen idle connections from one host shut every phone out; these limits
 * are applied per listener when a connection is accepted, before jain-sip sees it.
 *
 * @param perSource         connections one remote address may hold on one listener
 * @param perListener       connections one listener holds in total
 * @param idleTimeout       a connection that has received no byte for this long is closed, unless
 *                          its address holds a live registration; a multiple of the usual phone
 *                          keepalive interval (RFC 5626 CRLF pings every 30 s or less)
 * @param handshakeTimeout  a TLS connection that has not finished its handshake by then is closed
 */
public record ConnectionLimits(int perSource, int perListener, Duration idleTimeout, Duration handshakeTimeout) {

    /** 16 per address, 48 per listener (below jain-sip's 64), 120 s idle, 10 s for a TLS handshake. */
    public static final ConnectionLimits DEFAULTS =
            new ConnectionLimits(16, 48, Duration.ofSeconds(120), Duration.ofSeconds(10));

    public ConnectionLimits {
        if (perSource < 1) {
            throw new IllegalArgumentException("perSource must be at least 1, got " + perSource);
        }
        if (perListener < perSource) {
            throw new IllegalArgumentException(
                    "perListener must be at least perSource (" + perSource + "), got " + perListener);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, got " + handshakeTimeout);
        }
    }
}
