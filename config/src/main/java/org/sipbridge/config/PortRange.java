package org.sipbridge.config;

/** An inclusive UDP port range written {@code "first-last"}, e.g. {@code "16384-32767"}. */
public record PortRange(int first, int last) {

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("not a port range: " + first + "-" + last);
        }
    }

    /**
     * Parses {@code "first-last"}.
     *
     * @throws IllegalArgumentException with a reason fit for a validation message
     */
    public static PortRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("must look like \"16384-32767\"");
        }
        int first = parsePort(text.substring(0, dash).trim());
        int last = parsePort(text.substring(dash + 1).trim());
        if (first > last) {
            throw new IllegalArgumentException("first port must not be above the last");
        }
        return new PortRange(first, last);
    }

    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("must look like \"16384-32767\"");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ports must be between 1 and 65535");
        }
        return port;
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
