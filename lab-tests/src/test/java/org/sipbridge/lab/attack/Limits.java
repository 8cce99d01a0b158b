package org.sipbridge.lab.attack;

/** Sizes the fuzz inputs stay within. */
final class Limits {

    /** The largest UDP payload IPv4 carries. */
    static final int MAX_DATAGRAM = 65_507;

    private Limits() {}
}
