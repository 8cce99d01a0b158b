package org.sipbridge.config;

/** SIP over TCP. */
public record TcpSettings(boolean enabled, int port, int connectTimeoutSec) {

    public static TcpSettings defaults() {
        return new TcpSettings(true, 8060, 2);
    }
}
