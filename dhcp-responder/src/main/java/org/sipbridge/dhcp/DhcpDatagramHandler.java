package org.sipbridge.dhcp;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.sipbridge.dhcp.codec.DhcpEncoder;
import org.sipbridge.dhcp.codec.Ipv4;
import org.sipbridge.dhcp.reply.ReplyDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The netty edge: hands each datagram to the responder, records the outcome, and sends the reply, if
 * any, from the same socket (so its source port is 67). DHCP datagrams are small and rare, so copying
 * one into a byte array costs nothing worth saving and keeps the codec free of netty.
 */
final class DhcpDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(DhcpDatagramHandler.class);

    private final InformResponder responder;
    private final ResponderCounters counters;

    DhcpDatagramHandler(InformResponder responder, ResponderCounters counters) {
        this.responder = responder;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        Outcome outcome = responder.respond(ByteBufUtil.getBytes(packet.content()), ipv4(packet.sender()));
        counters.record(outcome);
        OutcomeLog.log(outcome, packet.sender());
        if (outcome instanceof Outcome.Handled handled && handled.decision() instanceof ReplyDecision.Reply reply) {
            DatagramPacket ack =
                    new DatagramPacket(Unpooled.wrappedBuffer(DhcpEncoder.encode(reply.packet())), reply.destination());
            ctx.writeAndFlush(ack).addListener(sent -> {
                if (!sent.isSuccess()) {
                    counters.sendFailed();
                    log.warn(
                            "Could not send the DHCPACK to {}: {}",
                            reply.destination(),
                            sent.cause().toString());
                }
            });
        }
    }

    /** The sender's IPv4 address as the rules compare it; 0 (never a client's address) if not IPv4. */
    private static int ipv4(InetSocketAddress sender) {
        byte[] address = sender.getAddress().getAddress();
        return address.length == 4 ? Ipv4.fromBytes(address, 0) : 0;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket survives a failed read; keep listening. The stack trace only at DEBUG: this can repeat.
        log.warn("DHCP socket error (still listening): {}", cause.toString());
        log.debug("DHCP socket error", cause);
    }
}
