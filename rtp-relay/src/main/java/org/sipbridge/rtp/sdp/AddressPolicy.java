package org.sipbridge.rtp.sdp;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.contract.media.MediaNotAcceptableException;
import org.sipbridge.contract.network.Ipv4Subnet;

/**
 * Where media may go (issue #14). A body's {@code c=} lines (session and media level) and {@code a=rtcp}
 * addresses are where the bridge will send that side's media, so a hostile sender could otherwise turn the
 * relay into a UDP cannon aimed at the bridge itself, the home network or anything routable:
 * <ul>
 *   <li>from the phone (LAN side): only hosts of the LAN subnet, not its network or broadcast address and
 *       not the bridge itself;</li>
 *   <li>from the PBX (VPN side): no "this network" (0/8), loopback, link-local, multicast, reserved or
 *       broadcast address, not the VPN subnet's broadcast, nothing in the LAN subnet, and none of the
 *       bridge's own addresses.</li>
 * </ul>
 * One exception on the PBX side: a call between two phones behind the bridge through a PBX that leaves
 * the SDP alone (Kamailio without a media proxy, an Asterisk with direct media) offers each phone the other
 * call's relay port on the bridge's own VPN address. That hairpin is accepted when every stream the line
 * covers names a port where one of the bridge's live relay streams listens on the VPN address
 * ({@link #hairpinningThrough}): media then goes from one of the bridge's relay sockets to another, which
 * relays it to its phone, never anywhere else on the bridge.
 * {@code 0.0.0.0} alone is RFC 2543 hold: the bridge sends nothing there, so it is accepted on both sides.
 * Disabled (port 0) and TCP streams carry no relayed media and are not checked. Pure: no I/O.
 *
 * <p>The same rules bound learning mode ({@link #pbxSide}): a VPN leg may latch to a source its SDP did not
 * announce only if that source is a place the PBX's SDP could have announced, and inside the PBX's side.
 */
public final class AddressPolicy implements MediaDestinations {

    /** The network assumed around a server's address when learning: its /24. */
    private static final int SERVER_NETWORK_MASK = 0xFFFFFF00;

    private final Ipv4Subnet lan;
    private final Ipv4Subnet vpn;
    private final Set<Integer> own;
    /** Ports where a live relay stream of the bridge listens on the VPN address: the only own ones allowed. */
    private final IntPredicate vpnRelayPort;

    /** @param ownAddresses every IPv4 address of this computer (the LAN and VPN addresses are added anyway) */
    public AddressPolicy(Ipv4Subnet lan, Ipv4Subnet vpn, Set<Inet4Address> ownAddresses) {
        this(lan, vpn, ownBits(lan, vpn, ownAddresses), port -> false);
    }

    private AddressPolicy(Ipv4Subnet lan, Ipv4Subnet vpn, Set<Integer> own, IntPredicate vpnRelayPort) {
        this.lan = lan;
        this.vpn = vpn;
        this.own = own;
        this.vpnRelayPort = vpnRelayPort;
    }

    private static Set<Integer> ownBits(Ipv4Subnet lan, Ipv4Subnet vpn, Set<Inet4Address> ownAddresses) {
        Set<Integer> own = new HashSet<>();
        ownAddresses.forEach(address -> own.add(bits(address)));
        own.add(lan.address());
        own.add(vpn.address());
        return Set.copyOf(own);
    }

    /**
     * This policy, also accepting from the PBX the bridge's VPN address with ports for which
     * {@code vpnRelayPort} is true (live relay streams' VPN-side RTP and RTCP ports): a hairpinned call.
     */
    public AddressPolicy hairpinningThrough(IntPredicate vpnRelayPort) {
        return new AddressPolicy(lan, vpn, own, vpnRelayPort);
    }

    @Override
    public void check(SessionDescription sdp, boolean fromLan) throws MediaNotAcceptableException {
        List<MediaDescription> relayed =
                sdp.media().stream().filter(m -> !m.disabled() && m.udp()).toList();
        if (sdp.sessionConnection() != null) {
            checkAddress(
                    sdp,
                    sdp.sessionConnectionLine(),
                    sdp.sessionConnection().address(),
                    fromLan,
                    relayed.stream().mapToInt(MediaDescription::port).toArray());
        }
        for (MediaDescription media : relayed) {
            for (int line : media.connectionLines()) {
                // an enabled stream's c= lines all parsed as "c=IN IP4 <literal>"
                Inet4Address address = Ipv4Literal.parse(sdp.lines().get(line).substring("c=IN IP4 ".length()));
                checkAddress(sdp, line, address, fromLan, media.port());
            }
            RtcpAttribute rtcp = media.rtcp();
            if (rtcp != null && rtcp.address() != null) {
                checkAddress(sdp, rtcp.line(), rtcp.address(), fromLan, rtcp.port());
            }
        }
    }

    /** {@code ports}: where the line sends media on {@code address} (for the hairpin exception). */
    private void checkAddress(SessionDescription sdp, int line, Inet4Address address, boolean fromLan, int... ports)
            throws MediaNotAcceptableException {
        int value = bits(address);
        if (value == 0) {
            return; // hold
        }
        if (!fromLan
                && value == vpn.address()
                && ports.length > 0
                && Arrays.stream(ports).allMatch(vpnRelayPort)) {
            return; // a call between two phones behind the bridge, hairpinned by the PBX
        }
        String problem = fromLan ? lanProblem(value) : vpnProblem(value);
        if (problem != null) {
            throw new MediaNotAcceptableException(SdpParser.describe(
                    line,
                    sdp.lines().get(line),
                    (fromLan ? "the phone's side" : "the PBX's side") + " may not have media sent to "
                            + address.getHostAddress() + ": " + problem));
        }
    }

    private String lanProblem(int address) {
        if (!lan.contains(address)) {
            return "not in the LAN subnet " + lan.networkText();
        }
        if (lan.prefixLength() <= 30 && (address == lan.network() || address == broadcast(lan))) {
            return "the LAN subnet's network or broadcast address";
        }
        if (own.contains(address)) {
            return "an address of the bridge itself";
        }
        return null;
    }

    private String vpnProblem(int address) {
        int first = address >>> 24;
        if (first == 0) {
            return "a \"this network\" address (0.0.0.0/8)";
        }
        if (first == 127) {
            return "a loopback address";
        }
        if ((address >>> 16) == (169 << 8 | 254)) {
            return "a link-local address";
        }
        if (first >= 224 && first <= 239) {
            return "a multicast address";
        }
        if (first >= 240) {
            return "a reserved or broadcast address";
        }
        if (vpn.prefixLength() <= 30 && address == broadcast(vpn)) {
            return "the VPN subnet's broadcast address";
        }
        if (own.contains(address)) {
            return "an address of the bridge itself";
        }
        if (lan.contains(address)) {
            return "in the LAN subnet " + lan.networkText() + " (the PBX's media never lives on the home network)";
        }
        return null;
    }

    /**
     * Learning mode's bound: a source the PBX's SDP could have named (none of the addresses refused above:
     * never the LAN subnet, the bridge, loopback, multicast…) that lies in the VPN subnet (not its network
     * address) or in the /24 of an IPv4 address of {@code bridge.servers}. Host names in {@code servers} add
     * nothing: resolving them would block the call's signalling.
     */
    public SourceLearning pbxSide(List<String> servers) {
        int[] serverNetworks = servers.stream()
                .map(AddressPolicy::ipv4Host)
                .filter(host -> host != null)
                .mapToInt(host -> bits(host) & SERVER_NETWORK_MASK)
                .distinct()
                .toArray();
        return source -> source instanceof Inet4Address address && mayLearn(bits(address), serverNetworks);
    }

    private boolean mayLearn(int address, int[] serverNetworks) {
        if (address == 0 || vpnProblem(address) != null) {
            return false;
        }
        if (vpn.contains(address)) {
            return vpn.prefixLength() > 30 || address != vpn.network();
        }
        for (int network : serverNetworks) {
            if ((address & SERVER_NETWORK_MASK) == network) {
                return true;
            }
        }
        return false;
    }

    private static Inet4Address ipv4Host(String server) {
        try {
            String host = ServerAddress.parse(server.trim()).host();
            return Ipv4Subnet.isIpv4Literal(host) ? Ipv4Subnet.parseAddress(host) : null;
        } catch (IllegalArgumentException notAServer) {
            return null; // validation reports it; learning just ignores it
        }
    }

    private static int broadcast(Ipv4Subnet subnet) {
        return subnet.network() | (subnet.prefixLength() == 0 ? -1 : ~(-1 << (32 - subnet.prefixLength())));
    }

    private static int bits(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
