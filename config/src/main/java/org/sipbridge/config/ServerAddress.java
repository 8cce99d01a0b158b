package org.sipbridge.config;

import java.util.regex.Pattern;

/** One entry of {@code bridge.servers}: {@code host[:port]}, host a DNS name, IPv4 or {@code [IPv6]}. */
public record ServerAddress(String host, int port) {

    public static final int DEFAULT_SIP_PORT = 5060;

    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /**
     * Parses {@code host[:port]}.
     *
     * @throws IllegalArgumentException with a reason fit for a validation message
     */
    public static ServerAddress parse(String text) {
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address");
            }
            host = text.substring(1, close);
            if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                throw new IllegalArgumentException("not an IPv6 address: " + host);
            }
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']'");
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
            if (!DNS_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("not a host name or IPv4 address: \"" + host + "\"");
            }
        }
        return new ServerAddress(host, portText == null ? DEFAULT_SIP_PORT : parsePort(portText));
    }

    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("port must be a number: \"" + digits + "\"");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535 (was " + port + ")");
        }
        return port;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
