package org.sipbridge.dhcp;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The netty transport for the DHCP socket: epoll where its native library works (Linux), NIO
 * elsewhere (Windows, macOS). Always an IPv4 socket: DHCPv4 broadcasts never reach an IPv6 one.
 */
enum DatagramTransport {
    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        DatagramChannel newChannel() {
            return new EpollDatagramChannel(SocketProtocolFamily.INET);
        }
    },
    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        DatagramChannel newChannel() {
            return new NioDatagramChannel(SocketProtocolFamily.INET);
        }
    };

    abstract IoHandlerFactory ioHandlerFactory();

    abstract DatagramChannel newChannel();

    static DatagramTransport best() {
        return Choice.BEST;
    }

    /** Why epoll cannot be used here, or empty when it can. */
    static Optional<String> epollProblem() {
        return Choice.EPOLL_PROBLEM;
    }

    /** Decided once, on first use. */
    private static final class Choice {

        static final Optional<String> EPOLL_PROBLEM = findEpollProblem();
        static final DatagramTransport BEST = EPOLL_PROBLEM.isEmpty() ? EPOLL : NIO;

        static {
            EPOLL_PROBLEM.ifPresent(problem -> LoggerFactory.getLogger(DatagramTransport.class)
                    .info("DHCP responder uses NIO: {}", problem));
        }

        /**
         * {@link Epoll#isAvailable()} only proves that a native library loaded. One older than the netty
         * classes loads too but lacks their newer natives; then the first socket error (a taken port, an
         * ICMP unreachable) throws NoClassDefFoundError for {@code io.netty.channel.unix.Errors} instead
         * of an IOException. Initialising that class now finds such a library before it is used.
         */
        private static Optional<String> findEpollProblem() {
            if (!Epoll.isAvailable()) {
                return Optional.of("epoll is not available (" + Epoll.unavailabilityCause() + ")");
            }
            try {
                Class.forName("io.netty.channel.unix.Errors", true, DatagramTransport.class.getClassLoader());
                return Optional.empty();
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.of("the epoll native library does not match the netty classes (" + e + ")");
            }
        }
    }
}
