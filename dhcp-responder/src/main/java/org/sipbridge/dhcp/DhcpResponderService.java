package org.sipbridge.dhcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.service.BridgeService;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.StartFailure;
import org.sipbridge.dhcp.reply.InformReplyRules;
import org.sipbridge.dhcp.reply.MacAllowList;
import org.sipbridge.dhcp.reply.ReplyPorts;
import org.sipbridge.io.IoBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the phone's DHCPINFORM with the bridge's provisioning URL, and nothing else.
 *
 * <p>Listens on {@code 0.0.0.0:67}, not on the LAN adapter's address: a phone that boots sends its
 * DHCPINFORM to 255.255.255.255, and Linux delivers such broadcasts only to sockets bound to the
 * wildcard. Two things keep other networks out (issue #14): on Linux the socket is bound to the LAN
 * adapter's device (SO_BINDTODEVICE through epoll), so what arrives on the VPN adapter never reaches
 * it; and the rules answer only clients inside the LAN adapter's subnet that send from their own
 * address (where epoll is not available, e.g. Windows and macOS, that check alone remains).
 *
 * <p>Bound only while {@code bridge.managedPhoneProvisioning} is on. The option code, the URL and the
 * LAN address are read from the config for each request, so they change without a restart; call
 * {@link #applyConfig()} after a config change to bind or release the port when provisioning is
 * switched on or off.
 */
public final class DhcpResponderService implements BridgeService {

    public static final String NAME = "dhcp-responder";

    /** What the status page suggests when the port cannot be bound. */
    public static final String START_FAILURE_FIX = "Phones that find the bridge through DHCP will not find it. "
            + "Give sipbridge the right to bind port 67 (run it as root, or with CAP_NET_BIND_SERVICE, e.g. "
            + "AmbientCapabilities=CAP_NET_BIND_SERVICE in its systemd unit), stop the other DHCP server on this "
            + "computer, or enter the provisioning server in the phone by hand.";

    private static final Logger log = LoggerFactory.getLogger(DhcpResponderService.class);
    private static final long CLOSE_WAIT_MS = 500;
    private static final InetAddress IPV4_WILDCARD = ipv4Wildcard();

    private final Supplier<BridgeConfig> config;
    private final RecentLanAddress lan;
    private final int listenPort;
    private final IoBackend backend;
    private final ResponderCounters counters;
    private final InformResponder responder;

    // Guarded by this: the bound socket and its one event-loop thread, or nulls while not listening.
    private boolean started;
    private Channel channel;
    private EventLoopGroup group;
    private String bindProblem;
    /** The interface the socket is bound to, or null when it listens on every interface. */
    private String boundDevice;

    /** The production responder: ports 67/68, this computer's adapters, any MAC. */
    public DhcpResponderService(Supplier<BridgeConfig> config) {
        this(config, LanAddressLookup.systemAdapters(), MacAllowList.ANY, ReplyPorts.STANDARD);
    }

    /**
     * @param config      the running config, read for each request ({@code ConfigStore::current})
     * @param lan         finds the LAN adapter's address from {@code bridge.lanAdapter}
     * @param allowedMacs which phones may be answered
     * @param ports       the port to listen on (also where relay agents get replies) and the client port
     */
    public DhcpResponderService(
            Supplier<BridgeConfig> config, LanAddressLookup lan, MacAllowList allowedMacs, ReplyPorts ports) {
        this(config, lan, allowedMacs, ports, IoBackend.best(), Clock.systemUTC());
    }

    DhcpResponderService(
            Supplier<BridgeConfig> config,
            LanAddressLookup lan,
            MacAllowList allowedMacs,
            ReplyPorts ports,
            IoBackend backend,
            Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.lan = new RecentLanAddress(lan, System::nanoTime);
        this.listenPort = ports.serverPort();
        this.backend = backend;
        this.counters = new ResponderCounters(clock);
        this.responder = new InformResponder(
                new ResponderSettingsSource(config, this.lan, allowedMacs), new InformReplyRules(ports));
    }

    /**
     * Tells {@code listener} of every DHCPINFORM seen (answered or not), on the event-loop thread: it
     * must be quick and must not block. The daemon's phone book listens here.
     */
    public DhcpResponderService onInform(Consumer<PhoneSighting> listener) {
        counters.tellSightingsTo(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    @Override
    public StartFailure startFailure() {
        return StartFailure.warning(START_FAILURE_FIX);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Binds the port when provisioning is on; does nothing when it is off.
     *
     * @throws IOException saying exactly why the port could not be bound
     */
    @Override
    public synchronized void start() throws IOException {
        if (started) {
            return;
        }
        lan.forget();
        if (provisioningOn()) {
            bind();
        } else {
            log.info("DHCP responder not listening: bridge.managedPhoneProvisioning is off");
        }
        started = true;
    }

    @Override
    public synchronized void stop() {
        started = false;
        bindProblem = null;
        unbind();
    }

    /**
     * Follows {@code bridge.managedPhoneProvisioning}: binds when it was switched on, releases the port
     * when it was switched off. A port that cannot be bound is reported by {@link #reasons()}.
     */
    public synchronized void applyConfig() {
        if (!started) {
            return;
        }
        lan.forget();
        boolean on = provisioningOn();
        if (on && channel != null && backend == IoBackend.EPOLL && !Objects.equals(boundDevice, lanDevice())) {
            log.info("bridge.lanAdapter changed: the DHCP responder moves from {} to {}", boundDevice, lanDevice());
            unbind();
        }
        if (on && channel == null) {
            try {
                bind();
                bindProblem = null;
            } catch (IOException e) {
                bindProblem = e.getMessage();
                log.warn("DHCP responder could not start: {}", e.getMessage());
            }
        } else if (!on && channel != null) {
            log.info("bridge.managedPhoneProvisioning switched off: DHCP responder stops listening");
            unbind();
            bindProblem = null;
        }
    }

    @Override
    public synchronized List<Reason> reasons() {
        return bindProblem == null
                ? List.of()
                : List.of(Reason.warning(NAME, NAME + " could not start: " + bindProblem, START_FAILURE_FIX));
    }

    public DhcpStats stats() {
        return counters.snapshot();
    }

    /** The port bound now, or empty while not listening. */
    public synchronized OptionalInt listeningPort() {
        return channel == null
                ? OptionalInt.empty()
                : OptionalInt.of(((InetSocketAddress) channel.localAddress()).getPort());
    }

    /** The interface the socket only listens on, or empty when it listens on all (NIO, or binding failed). */
    public synchronized Optional<String> boundDevice() {
        return Optional.ofNullable(boundDevice);
    }

    IoBackend backend() {
        return backend;
    }

    private boolean provisioningOn() {
        return config.get().bridge().managedPhoneProvisioning();
    }

    /** The LAN adapter's interface name now, or null when bridge.lanAdapter names none that exists. */
    private String lanDevice() {
        // An unreadable interface list resolves to nothing (RecentLanAddress); the source check still applies.
        return lan.resolve(config.get().bridge().lanAdapter())
                .adapter()
                .map(adapter -> adapter.adapter().name())
                .orElse(null);
    }

    private void bind() throws IOException {
        EventLoopGroup loop =
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(NAME, true), backend.ioHandlerFactory());
        String device = backend == IoBackend.EPOLL ? lanDevice() : null;
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(backend::newChannel)
                .option(ChannelOption.SO_BROADCAST, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new DhcpDatagramHandler(responder, counters));
        if (device != null) {
            bootstrap.option(LanDevice.SO_BINDTODEVICE_OPTION, LanDevice.value(device));
        }
        // The IPv4 wildcard on purpose: see the class comment.
        ChannelFuture bound =
                bootstrap.bind(new InetSocketAddress(IPV4_WILDCARD, listenPort)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
            throw new IOException(BindFailure.describe(listenPort, bound.cause()), bound.cause());
        }
        channel = bound.channel();
        group = loop;
        boundDevice = device != null
                        && device.equals(LanDevice.name(channel.config().getOption(LanDevice.SO_BINDTODEVICE_OPTION)))
                ? device
                : null;
        if (boundDevice != null) {
            log.info(
                    "DHCP responder listening on 0.0.0.0:{} on {} only ({}), answering DHCPINFORM only",
                    listenPort,
                    boundDevice,
                    backend);
        } else {
            // netty only logs a failed option; say plainly what protects the responder then.
            log.warn(
                    "DHCP responder listening on 0.0.0.0:{} on every interface ({}{}): only the source check keeps "
                            + "INFORMs from other networks unanswered",
                    listenPort,
                    backend,
                    device == null ? "" : ", binding to " + device + " failed");
        }
    }

    private static InetAddress ipv4Wildcard() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError("0.0.0.0 is a valid address", e);
        }
    }

    private void unbind() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(CLOSE_WAIT_MS);
            channel = null;
            boundDevice = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
            group = null;
        }
    }
}
