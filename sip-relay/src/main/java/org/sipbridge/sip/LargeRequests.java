package org.sipbridge.sip;

import gov.nist.javax.sip.message.SIPMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.Failures;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.service.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 3261 §18.1.1 toward the PBX: a request that would go over UDP but is larger than 1300 bytes
 * (or than the VPN adapter's MTU less 200) goes over TCP instead, so a big INVITE (many codecs,
 * SRTP crypto lines, video) is not fragmented across the VPN. Applies to requests outside a dialog
 * that carry the bridge's pre-loaded Route to a server, when the bridge listens on TCP on the VPN
 * side. Before the first such request the server's TCP port is tried (a connect within the
 * configured TCP connect timeout); when that fails the request is refused
 * ({@link RequestTooLargeException}, 513 to the phone) rather than sent as IP fragments that the VPN
 * or a home router may drop unseen: logged, and a status warning while that server takes no TCP.
 * TCP is tried again for that server after {@link #RETRY_AFTER}.
 */
public final class LargeRequests {

    private static final Logger log = LoggerFactory.getLogger(LargeRequests.class);
    /** RFC 3261 §18.1.1: the largest request sent over UDP when the path MTU is unknown. */
    static final int MAX_UDP_REQUEST = 1300;
    /** RFC 3261 §18.1.1: room kept below the path MTU for the headers of the response. */
    static final int MTU_MARGIN = 200;

    static final Duration RETRY_AFTER = Duration.ofMinutes(5);

    /** Opens (and closes) a TCP connection from {@code local} to {@code remote}, or says why it could not. */
    @FunctionalInterface
    public interface Connector {
        void connect(InetSocketAddress local, InetSocketAddress remote, int timeoutMs) throws IOException;
    }

    private final Side side;
    private final int limit;
    private final IntSupplier connectTimeoutMs;
    private final Connector connector;
    private final Clock clock;
    /** Per server ("host:port"): until when TCP is known to work, or known not to. */
    private final Map<String, Instant> tcpWorksUntil = new ConcurrentHashMap<>();

    private final Map<String, Instant> tcpRefusedUntil = new ConcurrentHashMap<>();
    /** Per server: the latest request refused because the server takes no TCP ("INVITE of 1534 bytes"). */
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    public LargeRequests(Side side, int mtu, IntSupplier connectTimeoutMs, Connector connector, Clock clock) {
        this.side = side;
        this.limit = mtu > 0 ? Math.min(MAX_UDP_REQUEST, mtu - MTU_MARGIN) : MAX_UDP_REQUEST;
        this.connectTimeoutMs = connectTimeoutMs;
        this.connector = connector;
        this.clock = clock;
    }

    /** The rule for {@code side}, with the MTU of the adapter that holds its address and plain sockets. */
    public static LargeRequests forSide(Side side, IntSupplier connectTimeoutMs, Clock clock) {
        return new LargeRequests(side, mtuOf(side.address()), connectTimeoutMs, LargeRequests::connectAndClose, clock);
    }

    /** Requests of more bytes than this go over TCP when they can. */
    public int limit() {
        return limit;
    }

    /**
     * Moves {@code request} to TCP when it is too large for UDP and the server takes TCP (its Via
     * and Route say so, and jain-sip routes by the Route); puts it back on UDP otherwise (a retry
     * built from a request moved earlier).
     *
     * @throws RequestTooLargeException it is too large for UDP and the server takes no TCP
     */
    public void fit(Request request) throws ParseException, InvalidArgumentException, RequestTooLargeException {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (via == null
                || route == null
                || !(route.getAddress().getURI() instanceof SipURI next)
                || (to != null && to.getTag() != null)
                || !isUdpOrMovedByUs(via, next)
                || !side.supports(Transport.TCP)) {
            return;
        }
        int size = size(request);
        boolean tcp = size > limit && takesTcp(next.getHost(), next.getPort());
        if (size > limit && !tcp) {
            throw refuse(request.getMethod(), size, next.getHost() + ":" + next.getPort());
        }
        Transport transport = tcp ? Transport.TCP : Transport.UDP;
        via.setTransport(transport.key().toUpperCase(Locale.ROOT));
        via.setPort(side.port(transport));
        if (tcp) {
            next.setTransportParam(Transport.TCP.key());
        } else {
            next.removeParameter("transport");
        }
    }

    /**
     * A request this rule may move: one for UDP (the configured transport), or a retry of one it
     * moved earlier (the relays give a retry the configured Via again; the Route kept its TCP).
     */
    private static boolean isUdpOrMovedByUs(ViaHeader via, SipURI next) {
        String nextTransport = next.getTransportParam();
        return Transport.UDP.key().equalsIgnoreCase(via.getTransport())
                && (nextTransport == null || Transport.TCP.key().equalsIgnoreCase(nextTransport));
    }

    private static int size(Request request) {
        return request instanceof SIPMessage message
                ? message.encodeAsBytes(Transport.UDP.key()).length
                : request.toString().length();
    }

    private boolean takesTcp(String host, int port) {
        String server = host + ":" + port;
        Instant now = clock.instant();
        if (now.isBefore(tcpWorksUntil.getOrDefault(server, Instant.MIN))) {
            return true;
        }
        if (now.isBefore(tcpRefusedUntil.getOrDefault(server, Instant.MIN))) {
            return false;
        }
        try {
            connector.connect(
                    new InetSocketAddress(side.address(), 0),
                    new InetSocketAddress(host, port < 0 ? 5060 : port),
                    connectTimeoutMs.getAsInt());
            tcpWorksUntil.put(server, now.plus(RETRY_AFTER));
            tcpRefusedUntil.remove(server);
            refused.remove(server);
            return true;
        } catch (IOException | RuntimeException e) {
            tcpRefusedUntil.put(server, now.plus(RETRY_AFTER));
            tcpWorksUntil.remove(server);
            log.warn(
                    "Server {} does not take SIP over TCP ({}); requests over {} bytes to it are refused until it does",
                    LogText.bounded(server),
                    LogText.bounded(Failures.rootMessage(e)),
                    limit);
            return false;
        }
    }

    private RequestTooLargeException refuse(String method, int size, String server) {
        String what = method + " of " + size + " bytes";
        refused.put(server, what);
        log.warn(
                "Refused an {} to server {} with 513 Message Too Large: over {} bytes it must go over TCP "
                        + "(RFC 3261 §18.1.1), which the server does not take; over UDP it would be split into IP fragments, "
                        + "which VPNs and home routers often drop",
                LogText.bounded(method),
                LogText.bounded(server),
                limit);
        return new RequestTooLargeException(
                what + " is too large for UDP and server " + server + " takes no SIP over TCP");
    }

    /**
     * A status warning per server that refused TCP after a request had to be refused, until a connect
     * to its TCP port works again (tried with the next large request after {@link #RETRY_AFTER}).
     */
    public List<Reason> warnings() {
        List<Reason> warnings = new ArrayList<>();
        refused.forEach((server, what) -> warnings.add(Reason.warning(
                "sip",
                "Server " + server
                        + " takes no SIP over TCP, so the bridge refused an " + what + " (513 Message Too Large): "
                        + "over UDP it would be split into IP fragments, which VPNs and home routers often drop",
                "Enable SIP over TCP on the PBX (RFC 3261 §18.1.1 requires it for requests over " + limit
                        + " bytes), or offer fewer codecs and SRTP crypto lines from the phone.")));
        return warnings;
    }

    /**
     * A request could not be sent: when it went over TCP because of its size, that server's TCP
     * is no longer trusted, so the next large request tries it (or falls back) afresh. The failed
     * request itself gets the relay's usual no-answer handling (failover, 408).
     */
    public void sendFailed(Request request, String why) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        if (via != null
                && Transport.TCP.key().equalsIgnoreCase(via.getTransport())
                && route != null
                && route.getAddress().getURI() instanceof SipURI next) {
            String server = next.getHost() + ":" + next.getPort();
            if (tcpWorksUntil.remove(server) != null) {
                log.info(
                        "Sending a large request over TCP to {} failed ({}); TCP is tried again for the next one",
                        LogText.bounded(server),
                        LogText.bounded(why));
            }
        }
    }

    private static void connectAndClose(InetSocketAddress local, InetSocketAddress remote, int timeoutMs)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(local);
            socket.connect(remote, timeoutMs);
        }
    }

    private static int mtuOf(String address) {
        try {
            NetworkInterface adapter = NetworkInterface.getByInetAddress(InetAddress.getByName(address));
            return adapter == null ? -1 : adapter.getMTU();
        } catch (IOException e) {
            return -1;
        }
    }
}
