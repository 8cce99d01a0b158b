package org.sipbridge.rtp.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.io.IoBackend;
import org.sipbridge.rtp.ports.PortAllocator;
import org.sipbridge.rtp.ports.PortPair;

/**
 * Binds RTP/RTCP socket pairs on ports from the allocator. A port another program holds is skipped (its
 * pair goes to the back of the queue) and the next pair is tried. Blocks until bound: call it from a
 * signalling thread, never from a relay event loop.
 */
public final class PairBinder {

    private static final long BIND_TIMEOUT_SECONDS = 5;
    private static final RecvByteBufAllocator RECEIVE_BUFFERS = ReceiveBuffers.allocator();

    private final IoBackend backend;
    private final PortAllocator allocator;

    public PairBinder(IoBackend backend, PortAllocator allocator) {
        this.backend = backend;
        this.allocator = allocator;
    }

    public IoBackend backend() {
        return backend;
    }

    /**
     * Whether a leg connect()s its socket to the latched peer (kernel filtering, no per-packet envelope): on
     * epoll, yes. Not on NIO: the JDK's DatagramChannel.connect() empties the socket's receive queue, which would
     * throw away the packets that arrived right behind the one that latched. NIO also creates a sender address
     * for every datagram it reads, connected or not, so connecting would save nothing there.
     */
    public boolean connectsLatchedSockets() {
        return backend == IoBackend.EPOLL;
    }

    public PortAllocator allocator() {
        return allocator;
    }

    /** The handlers are made per attempt: a handler that joined a failed channel's pipeline cannot join another. */
    public BoundPair bind(
            EventLoop loop,
            InetAddress address,
            DscpMarks marks,
            Supplier<ChannelHandler> rtpHandler,
            Supplier<ChannelHandler> rtcpHandler)
            throws MediaUnavailableException {
        int attempts = allocator.available();
        int takenElsewhere = 0;
        for (int attempt = 0; attempt < Math.max(1, attempts); attempt++) {
            PortPair pair = allocator.acquire();
            DatagramChannel rtp = null;
            try {
                rtp = bindOne(loop, address, pair.rtp(), marks.rtpTos(), rtpHandler.get());
                DatagramChannel rtcp = bindOne(loop, address, pair.rtcp(), marks.rtcpTos(), rtcpHandler.get());
                return new BoundPair(pair, rtp, rtcp);
            } catch (PortTakenException taken) {
                takenElsewhere++;
                closeQuietly(rtp);
                allocator.release(pair);
            } catch (MediaUnavailableException | RuntimeException e) {
                closeQuietly(rtp);
                allocator.release(pair);
                throw e;
            }
        }
        throw new MediaUnavailableException("no free RTP ports in " + allocator.range() + ": the " + takenElsewhere
                + " pairs not used by calls are all taken by other programs on " + address.getHostAddress());
    }

    /**
     * Binds the ports of {@code pair}, which the caller already holds, on {@code address}: a stream whose
     * adapter changed address keeps its ports (the allocator is not asked, the port range stays counted
     * once). Fails when another program took one of them on the new address.
     */
    public BoundPair rebind(
            EventLoop loop,
            InetAddress address,
            PortPair pair,
            DscpMarks marks,
            Supplier<ChannelHandler> rtpHandler,
            Supplier<ChannelHandler> rtcpHandler)
            throws MediaUnavailableException {
        DatagramChannel rtp = null;
        try {
            rtp = bindOne(loop, address, pair.rtp(), marks.rtpTos(), rtpHandler.get());
            return new BoundPair(pair, rtp, bindOne(loop, address, pair.rtcp(), marks.rtcpTos(), rtcpHandler.get()));
        } catch (PortTakenException taken) {
            closeQuietly(rtp);
            throw new MediaUnavailableException("another program holds port " + pair.rtp() + " or " + pair.rtcp()
                    + " on " + address.getHostAddress());
        } catch (MediaUnavailableException | RuntimeException e) {
            closeQuietly(rtp);
            throw e;
        }
    }

    public void release(PortPair pair) {
        allocator.release(pair);
    }

    @SuppressWarnings("deprecation") // DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION: deprecated, no replacement in 4.2
    private DatagramChannel bindOne(EventLoop loop, InetAddress address, int port, int tos, ChannelHandler handler)
            throws MediaUnavailableException, PortTakenException {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(backend::newChannel)
                .option(ChannelOption.RECVBUF_ALLOCATOR, RECEIVE_BUFFERS)
                // stay "active" after disconnect(): epoll marks a disconnected socket inactive and then fails every
                // write, so re-latching after a new SDP would go silent (EpollRelayTest covers it)
                .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                .option(ChannelOption.SO_REUSEADDR, false)
                .handler(handler);
        if (tos >= 0) {
            bootstrap.option(ChannelOption.IP_TOS, tos);
        }
        if (backend == IoBackend.EPOLL) {
            // Lets the kernel hand whole datagrams of up to this size to the fixed receive buffer; with one
            // datagram per buffer a connected (latched) socket reads with plain recv(), no sender address object.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, ReceiveBuffers.DATAGRAM_SIZE);
        }
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(address, port));
        if (!bound.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            bound.channel().close();
            throw new MediaUnavailableException("binding UDP " + address.getHostAddress() + ":" + port
                    + " did not finish within " + BIND_TIMEOUT_SECONDS + " s");
        }
        if (bound.isSuccess()) {
            return (DatagramChannel) bound.channel();
        }
        Throwable cause = bound.cause();
        if (isAddressInUse(cause)) {
            throw new PortTakenException();
        }
        throw new MediaUnavailableException(
                "cannot bind UDP " + address.getHostAddress() + ":" + port + ": " + cause.getMessage(), cause);
    }

    static boolean isAddressInUse(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            channel.close().awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Control flow inside {@link #bind}: the port belongs to someone else, try the next pair. */
    private static final class PortTakenException extends Exception {
        PortTakenException() {
            super(null, null, false, false);
        }
    }
}
