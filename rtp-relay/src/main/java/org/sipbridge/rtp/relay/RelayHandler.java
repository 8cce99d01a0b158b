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
    private final MediaLeg in;
    private final MediaLeg out;
    private final DirectionStats stats;
    private final boolean rtcpPort;
    private final TapPoint tapPoint;

    RelayHandler(
            StreamRelay stream, MediaLeg in, MediaLeg out, DirectionStats stats, boolean rtcpPort, TapPoint tapPoint) {
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
        long now = System.nanoTime();
        if (in.hasEarlyToRelease()) {
            releaseEarly(now); // the SDP came: packets kept before it go first, in order
        }
        relay(packet, now);
    }

    private void relay(DatagramPacket packet, long arrivalNanos) {
        switch (in.admit(packet.sender(), arrivalNanos)) {
            case PASS -> forward(packet, arrivalNanos);
            case EARLY -> {
                DatagramPacket pushedOut = in.keepEarly(packet, arrivalNanos);
                if (pushedOut != null) {
                    stats.strayDropped();
                    pushedOut.release();
                }
            }
            case REFUSE -> {
                in.refused(packet.sender());
                stats.strayDropped();
                packet.release();
            }
        }
    }

    private void forward(DatagramPacket packet, long arrivalNanos) {
        ByteBuf content = packet.content();
        if (ReceiveBuffers.possiblyTruncated(content.readableBytes())) {
            stats.undeliverable();
            packet.release();
            return;
        }
        observe(content, arrivalNanos);
        PacketTap tap = stream.tap();
        if (tap != null) {
            try {
                tap.relayed(
                        tapPoint,
                        packet.sender(),
                        in.channel().localAddress(),
                        out.channel().localAddress(),
                        out.destination(),
                        content);
            } catch (RuntimeException tapFailed) {
                stream.socketError(); // a broken capture must not stop the call's audio
            }
        }
        if (!out.send(content)) {
            stats.undeliverable();
            packet.release();
        }
    }

    /**
     * Event loop: once this side's SDP is known, the packets kept before it go through admission as if they
     * arrived now, with their real arrival time (jitter, learning's wait); stale ones are dropped as stray.
     */
    void releaseEarly(long nowNanos) {
        while (in.hasEarlyToRelease()) {
            long arrival = in.oldestEarlyArrival();
            DatagramPacket early = in.takeEarly();
            if (nowNanos - arrival > EarlyPackets.MAX_AGE_NANOS) {
                stats.strayDropped();
                early.release();
            } else {
                relay(early, arrival); // never kept again: this side's SDP is known now
            }
        }
        out.flush();
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

    /** Event loop: the stream ends; packets still kept for an SDP that never came are dropped as stray. */
    void dropEarly() {
        for (DatagramPacket early = in.takeEarly(); early != null; early = in.takeEarly()) {
            stats.strayDropped();
            early.release();
        }
    }

    /** The socket closed (also when the event loop shut down): nothing kept may leak. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        dropEarly();
    }

    /** ICMP port unreachable on a connected socket and similar: the stream goes on, so count and carry on. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stream.socketError();
    }
}
