package org.sipbridge.rtp;

/**
 * Relay-wide totals since start.
 *
 * @param allocated          sessions handed to the SIP relay
 * @param released           sessions the SIP relay released
 * @param timedOut           sessions the relay ended on its own (inactivity or hold timeout)
 * @param allocationFailures allocate() calls refused (no ports, adapter unusable, not running)
 * @param active             sessions now open
 * @param freePortPairs      RTP/RTCP pairs now free (each relayed stream takes two)
 */
public record RelayCounters(
        long allocated, long released, long timedOut, long allocationFailures, int active, int freePortPairs) {}
