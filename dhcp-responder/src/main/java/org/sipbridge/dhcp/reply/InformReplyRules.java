package org.sipbridge.dhcp.reply;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.dhcp.codec.BootOp;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.DhcpMessageType;
import org.sipbridge.dhcp.codec.Ipv4;

/**
 * Decides whether a request is answered, as a pure function of the request and the settings. The
 * bridge must never act as a DHCP server on someone's home network, so only a DHCPINFORM (the client
 * already has its address and asks for parameters) from the LAN subnet is ever answered.
 */
public final class InformReplyRules {

    private final ReplyPorts ports;

    public InformReplyRules(ReplyPorts ports) {
        this.ports = ports;
    }

    /**
     * The checks that need no settings. Cheap, so that the many broadcasts of a home network (every
     * device's DISCOVER and REQUEST) are dropped before anything looks up the LAN adapter.
     */
    public static Optional<IgnoreReason> screen(DhcpMessage request) {
        if (request.op() != BootOp.BOOTREQUEST) {
            return Optional.of(IgnoreReason.NOT_BOOTREQUEST);
        }
        OptionalInt type = request.options().messageTypeCode();
        if (type.isEmpty()) {
            return Optional.of(IgnoreReason.NOT_DHCP);
        }
        if (type.getAsInt() != DhcpMessageType.INFORM.code()) {
            return Optional.of(IgnoreReason.NOT_INFORM);
        }
        return Optional.empty();
    }

    /**
     * As {@link #decide(DhcpMessage, int, ResponderSettings)} for a datagram sent from the address a
     * well-behaved client uses (its ciaddr, or the relay agent's giaddr): for tests of the other rules.
     */
    public ReplyDecision decide(DhcpMessage request, ResponderSettings settings) {
        return decide(request, request.relayed() ? request.giaddr() : request.ciaddr(), settings);
    }

    /**
     * @param source the IPv4 source address of the datagram that carried {@code request}: a client
     *               that sends a DHCPINFORM already has its address and sends from it (RFC 2131 §4.4.3),
     *               a relay agent sends from giaddr; anything else is forged or came from another network
     */
    public ReplyDecision decide(DhcpMessage request, int source, ResponderSettings settings) {
        Optional<IgnoreReason> screened = screen(request);
        if (screened.isPresent()) {
            return new ReplyDecision.Ignored(screened.get());
        }
        if (request.ciaddr() == 0) {
            return new ReplyDecision.Ignored(IgnoreReason.NO_CLIENT_ADDRESS);
        }
        if (!settings.lan().contains(request.ciaddr())) {
            return new ReplyDecision.Ignored(IgnoreReason.OUTSIDE_LAN_SUBNET);
        }
        if (request.relayed() && !settings.lan().contains(request.giaddr())) {
            return new ReplyDecision.Ignored(IgnoreReason.RELAY_OUTSIDE_LAN_SUBNET);
        }
        if (!isAnotherHost(request.ciaddr(), settings.lan())
                || (request.relayed() && !isAnotherHost(request.giaddr(), settings.lan()))) {
            // An answer there would go to every device (broadcast) or back to the bridge itself.
            return new ReplyDecision.Ignored(IgnoreReason.NOT_A_HOST_ADDRESS);
        }
        if (source != (request.relayed() ? request.giaddr() : request.ciaddr())) {
            return new ReplyDecision.Ignored(IgnoreReason.SOURCE_MISMATCH);
        }
        if (!settings.allowedMacs().allows(request.clientHardwareAddress())) {
            return new ReplyDecision.Ignored(IgnoreReason.MAC_NOT_ALLOWED);
        }
        return new ReplyDecision.Reply(InformAck.build(request, settings), destination(request));
    }

    /**
     * True for an address of {@code lan} that is neither its network nor its broadcast address. (The
     * bridge's own address needs no rule: a datagram can only come from it, which the source check
     * then requires, when the bridge sends it itself, as a loopback test does.)
     */
    static boolean isAnotherHost(int address, Ipv4Subnet lan) {
        int broadcast = lan.network() | (lan.prefixLength() == 32 ? 0 : -1 >>> lan.prefixLength());
        return lan.prefixLength() >= 31 || (address != lan.network() && address != broadcast);
    }

    /** RFC 2131 §4.1: to the relay agent's server port when relayed, else unicast to the client's ciaddr. */
    private InetSocketAddress destination(DhcpMessage request) {
        return request.relayed()
                ? socketAddress(request.giaddr(), ports.serverPort())
                : socketAddress(request.ciaddr(), ports.clientPort());
    }

    private static InetSocketAddress socketAddress(int address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Ipv4.toBytes(address)), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }
}
