package org.sipbridge.lab.attack;

import java.util.SplittableRandom;

/**
 * The campaign's inputs, each a pure function of (seed, side, index): input 123456 of a run can be
 * rebuilt alone to reproduce a finding. About 60 % SIP over UDP, 15 % SIP over TCP, 25 % DHCP;
 * every other SIP input carries SDP (INVITEs, re-INVITEs, 200 OKs) that the mutator may break.
 */
public final class FuzzInputs {

    public enum Kind {
        SIP_UDP,
        SIP_TCP,
        DHCP
    }

    public record Input(long index, Kind kind, byte[] bytes) {}

    public enum Side {
        LAN,
        VPN
    }

    private final long seed;
    private final Side side;
    private final SipSeeds.Addresses addresses;

    public FuzzInputs(long seed, Side side, SipSeeds.Addresses addresses) {
        this.seed = seed;
        this.side = side;
        this.addresses = addresses;
    }

    public Input get(long index) {
        SplittableRandom random = new SplittableRandom(mix(seed, side.ordinal(), index));
        int roll = random.nextInt(100);
        if (roll < 25) {
            return new Input(index, Kind.DHCP, DhcpInforms.mutate(DhcpInforms.seed(random, addresses.self()), random));
        }
        Kind kind = roll < 40 ? Kind.SIP_TCP : Kind.SIP_UDP;
        String transport = kind == Kind.SIP_TCP ? "TCP" : "UDP";
        String message = side == Side.LAN
                ? SipSeeds.lan(random, addresses, transport)
                : SipSeeds.vpn(random, addresses, transport);
        return new Input(index, kind, SipMutator.mutate(message, random));
    }

    /** SplitMix64 finaliser over the three parts, so neighbouring indexes get unrelated streams. */
    static long mix(long seed, int side, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + side * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
