package org.sipbridge.rtp.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.sipbridge.rtp.quality.DirectionStats;
import org.sipbridge.rtp.quality.RtpHeader;

/**
 * The packet path of one bridge socket: admit (latching filter) → observe (stats, read-only) → tap →
 * forward the same buffer out of the opposite socket. Each step is one call on a small object; the path
 * allocates nothing of its own once the peer is latched (the socket is connected, the bare buffer is
 * written), copies nothing, takes no lock and logs nothing. Writes are flushed once per read batch
 * (channelReadComplete), which lets epoll use sendmmsg for a burst.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final StreamRelay stream;
    private final Leg in;
    private final Leg out;
    private final DirectionStats stats;
    private final boolean rtcpPort;
    private final TapPoint tapPoint;

    RelayHandler(StreamRelay stream, Leg in, Leg out, DirectionStats stats, boolean rtcpPort, TapPoint tapPoint) {
        this.stream = stream;
        this.in = in;
        this.out = out;
        this.stats = stats;
        this.rtcpPort = rtcpPort;
        this.tapPoint = tapPoint;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf content = packet.content();
        long now = System.nanoTime();
        if (!in.admit(packet.sender(), now)) {
            stats.strayDropped();
            packet.release();
            return;
        }
        if (ReceiveBuffers.possiblyTruncated(content.readableBytes())) {
            stats.undeliverable();
            packet.release();
            return;
        }
        observe(content, now);
        PacketTap tap = stream.tap();
        if (tap != null) {
            try {
                tap.relayed(tapPoint, packet.sender(), in.channel().localAddress(), out.channel().localAddress(),
                        out.destination(), content);
            } catch (RuntimeException tapFailed) {
                stream.socketError(); // a broken capture must not stop the call's audio
            }
        }
        if (!out.send(content)) {
            stats.undeliverable();
            packet.release();
        }
    }

    private void observe(ByteBuf content, long now) {
        StreamMedia media = stream.media();
        boolean rtcp = rtcpPort
                || (content.readableBytes() >= 2 && RtpHeader.isMultiplexedRtcp(content, content.readerIndex()));
        if (rtcp) {
            stats.onRtcp(content, now, media.encrypted(), stream.meter());
        } else {
            stats.onRtp(content, now, media.formats(stats.direction()));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        out.flush();
    }

    /** ICMP port unreachable on a connected socket and similar: the stream goes on, so count and carry on. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stream.socketError();
    }
}
