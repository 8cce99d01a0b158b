package org.sipbridge.io;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.Version;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * netty's I/O backend for the bridge's datagram sockets: Linux epoll when its native library works with
 * the netty classes on the class path, Java NIO otherwise (macOS, Windows, other CPUs, mismatched jars).
 * Decided once per JVM, so every module with a netty socket uses the same backend.
 */
public enum IoBackend {
    EPOLL {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        public DatagramChannel newChannel() {
            return new EpollDatagramChannel(SocketProtocolFamily.INET);
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
    };

    public abstract IoHandlerFactory ioHandlerFactory();

    /** An IPv4 socket: the adapters are IPv4, IP_TOS is the IPv4 option and DHCPv4 broadcasts reach no other. */
    public abstract DatagramChannel newChannel();

    public static IoBackend best() {
        return Choice.BEST;
    }

    /** Why epoll cannot be used here, or empty when it can. */
    public static Optional<String> epollProblem() {
        return Choice.EPOLL_PROBLEM;
    }

    /** For JUnit's {@code @EnabledIf}: tests of the epoll backend run only where it works. */
    public static boolean epollUsable() {
        return epollProblem().isEmpty();
    }

    /** A known version of each side that differs means a mismatch; an unknown one is trusted. */
    static boolean sameRelease(String classes, String natives) {
        return classes == null || natives == null || classes.equals(natives);
    }

    /** Decided once, on first use. */
    private static final class Choice {

        static final Optional<String> EPOLL_PROBLEM = findEpollProblem();
        static final IoBackend BEST = EPOLL_PROBLEM.isEmpty() ? EPOLL : NIO;

        static {
            EPOLL_PROBLEM.ifPresent(
                    problem -> LoggerFactory.getLogger(IoBackend.class).info("netty sockets use NIO: {}", problem));
        }

        /**
         * {@link Epoll#isAvailable()} only proves that a native library loaded. The library registers its JNI
         * methods against the classes it was built with; one from another release loads too, but its missing
         * methods fail later on error paths (the first taken port or ICMP unreachable throws
         * NoClassDefFoundError for {@code io.netty.channel.unix.Errors} instead of an IOException). So a
         * known version mismatch means NIO (an unknown version, a fat jar that kept only one
         * {@code META-INF/io.netty.versions.properties}, is trusted), and initialising {@code Errors} now finds
         * a mismatched library before it is used.
         */
        private static Optional<String> findEpollProblem() {
            if (!Epoll.isAvailable()) {
                return Optional.of("epoll is not available (" + Epoll.unavailabilityCause() + ")");
            }
            Map<String, Version> versions = Version.identify(IoBackend.class.getClassLoader());
            String classes = version(versions, "netty-transport-classes-epoll");
            String natives = version(versions, "netty-transport-native-epoll");
            if (!sameRelease(classes, natives)) {
                return Optional.of("netty epoll classes " + classes + " and native library " + natives
                        + " are from different releases");
            }
            try {
                Class.forName("io.netty.channel.unix.Errors", true, IoBackend.class.getClassLoader());
                return Optional.empty();
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.of("the epoll native library does not match the netty classes (" + e + ")");
            }
        }

        private static String version(Map<String, Version> versions, String artifact) {
            Version version = versions.get(artifact);
            return version == null ? null : version.artifactVersion();
        }
    }
}
