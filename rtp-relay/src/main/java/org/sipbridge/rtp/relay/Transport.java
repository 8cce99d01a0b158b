package org.sipbridge.rtp.relay;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.util.Version;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Linux epoll when its native library loads and comes from the same netty release as the epoll classes,
 * Java NIO otherwise (macOS, Windows, other CPUs, or mismatched netty jars).
 */
public enum Transport {
    EPOLL {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        public DatagramChannel newChannel() {
            return new EpollDatagramChannel(SocketProtocolFamily.INET);
        }

        @Override
        public boolean connectsLatchedSockets() {
            return true;
        }

        @Override
        void configure(Bootstrap bootstrap) {
            // Lets the kernel hand whole datagrams of up to this size to the fixed receive buffer; with one
            // datagram per buffer a connected (latched) socket reads with plain recv(), no sender address object.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, ReceiveBuffers.DATAGRAM_SIZE);
        }
    },
    NIO {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        public DatagramChannel newChannel() {
            return new NioDatagramChannel(SocketProtocolFamily.INET);
        }

        /**
         * No: the JDK's DatagramChannel.connect() empties the socket's receive queue, which would throw away
         * the packets that arrived right behind the one that latched. NIO also creates a sender address for
         * every datagram it reads, connected or not, so connecting would save nothing here.
         */
        @Override
        public boolean connectsLatchedSockets() {
            return false;
        }

        @Override
        void configure(Bootstrap bootstrap) {
        }
    };

    public abstract IoHandlerFactory ioHandlerFactory();

    /** An IPv4 socket: the adapters are IPv4 and IP_TOS is the IPv4 option. */
    public abstract DatagramChannel newChannel();

    /** Whether a leg connect()s its socket to the latched peer (kernel filtering, no per-packet envelope). */
    public abstract boolean connectsLatchedSockets();

    abstract void configure(Bootstrap bootstrap);

    public static Transport best() {
        return epollUsable() ? EPOLL : NIO;
    }

    /**
     * The native library registers its JNI methods against the classes it was built with; a library from
     * another release loads, but its missing methods fail later on error paths (an UnsatisfiedLinkError
     * when translating an errno). So a known version mismatch means NIO. An unknown version (a fat jar
     * that kept only one {@code META-INF/io.netty.versions.properties}) is trusted.
     */
    public static boolean epollUsable() {
        if (!Epoll.isAvailable()) {
            return false;
        }
        Map<String, Version> versions = Version.identify(Transport.class.getClassLoader());
        String classes = version(versions, "netty-transport-classes-epoll");
        String natives = version(versions, "netty-transport-native-epoll");
        if (!sameRelease(classes, natives)) {
            LoggerFactory.getLogger(Transport.class).warn("netty epoll classes {} and native library {} are from "
                    + "different releases; using NIO", classes, natives);
            return false;
        }
        return true;
    }

    static boolean sameRelease(String classes, String natives) {
        return classes == null || natives == null || classes.equals(natives);
    }

    private static String version(Map<String, Version> versions, String artifact) {
        Version version = versions.get(artifact);
        return version == null ? null : version.artifactVersion();
    }
}
