package org.sipbridge.sip.servers;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.contract.status.ServerStatus.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration group: servers in failover order and what is known of each. The current server
 * is the first one not known to be down, so the bridge fails over when a server goes down and fails
 * back as soon as an earlier one answers again. Thread-safe.
 *
 * <p>A server's state comes from its health only: OPTIONS probes, transport errors, and any answer
 * it gives. What one relayed request got (a 500 for a strange REGISTER, a request the PBX chose to
 * drop) never marks it down: that only makes it {@linkplain #suspect suspect}, and a probe sent at
 * once decides. Every change of state is logged with its cause.
 */
public final class RegistrationGroup {

    private static final Logger log = LoggerFactory.getLogger(RegistrationGroup.class);

    private static final class Health {
        final ServerAddress address;
        ServerState state = ServerState.UNKNOWN;
        Instant lastResponse;
        long optionsRttMs = -1;
        String lastProblem = "";
        /** A relayed request went unanswered (or got 503) and the probe has not answered yet. */
        boolean suspect;

        Health(ServerAddress address) {
            this.address = address;
        }
    }

    private final List<Health> servers = new ArrayList<>();
    private final Clock clock;
    private volatile Consumer<ServerAddress> whenSuspect = server -> {};

    public RegistrationGroup(List<ServerAddress> servers, Clock clock) {
        servers.forEach(s -> this.servers.add(new Health(s)));
        this.clock = clock;
    }

    /** Takes a changed server list, keeping what is known of servers that stay. */
    public synchronized void replaceServers(List<ServerAddress> addresses) {
        List<Health> next = new ArrayList<>();
        for (ServerAddress address : addresses) {
            next.add(find(address).orElseGet(() -> new Health(address)));
        }
        servers.clear();
        servers.addAll(next);
    }

    public synchronized List<ServerAddress> servers() {
        return servers.stream().map(h -> h.address).toList();
    }

    /**
     * The server to send new requests to: the first not known to be down, passing over suspect ones
     * while their probe is out (so the phone's next request does not wait for the same silence) unless
     * every live server is suspect.
     */
    public synchronized Optional<ServerAddress> current() {
        Optional<ServerAddress> trusted = servers.stream()
                .filter(h -> h.state != ServerState.DOWN && !h.suspect)
                .map(h -> h.address)
                .findFirst();
        return trusted.isPresent()
                ? trusted
                : servers.stream()
                        .filter(h -> h.state != ServerState.DOWN)
                        .map(h -> h.address)
                        .findFirst();
    }

    /** The server after {@code failed} in failover order that is not known to be down. */
    public synchronized Optional<ServerAddress> after(ServerAddress failed) {
        boolean passed = false;
        for (Health health : servers) {
            if (passed && health.state != ServerState.DOWN) {
                return Optional.of(health.address);
            }
            passed |= health.address.equals(failed);
        }
        return Optional.empty();
    }

    /**
     * Where a request (REGISTER or INVITE) goes after {@code failed} did not take it: the current server, or
     * else the next one after {@code failed} in failover order that is not known to be down; never one in
     * {@code tried}. Empty when none is left: the request gets its final answer.
     */
    public synchronized Optional<ServerAddress> failoverTarget(ServerAddress failed, Collection<ServerAddress> tried) {
        Optional<ServerAddress> current = current().filter(s -> !tried.contains(s));
        return current.isPresent() ? current : after(failed).filter(s -> !tried.contains(s));
    }

    /** Who checks a suspect server (the OPTIONS prober, with a probe at once). */
    public void whenSuspect(Consumer<ServerAddress> check) {
        whenSuspect = check;
    }

    /** A server answered (any SIP response proves it is alive). */
    public synchronized void answered(ServerAddress server) {
        find(server).ifPresent(h -> {
            if (h.state == ServerState.DOWN) {
                log.info("Server {} is up again (it answered)", server);
            }
            h.state = ServerState.UP;
            h.suspect = false;
            h.lastResponse = clock.instant();
            h.lastProblem = "";
        });
    }

    /** An OPTIONS probe was answered after {@code rttMs}. */
    public synchronized void probed(ServerAddress server, long rttMs) {
        answered(server);
        find(server).ifPresent(h -> h.optionsRttMs = rttMs);
    }

    /**
     * A relayed request got no answer or a 503 from {@code server}: it may be down, or it may have
     * dropped just that request. Its state stays; a probe is asked for.
     */
    public void suspect(ServerAddress server, String why) {
        synchronized (this) {
            find(server).ifPresent(h -> h.suspect = true);
        }
        log.info("Server {} is suspect ({}); probing it", server, why);
        whenSuspect.accept(server);
    }

    /** A probe went unanswered or got 503, or a connection to the server failed: it is down. */
    public synchronized void failed(ServerAddress server, String problem) {
        find(server).ifPresent(h -> {
            if (h.state != ServerState.DOWN) {
                log.warn("Server {} is down: {}", server, problem);
            }
            h.state = ServerState.DOWN;
            h.suspect = false;
            h.lastProblem = problem;
        });
    }

    /**
     * The bridge's own VPN address changed: what was learned of the servers' health from the old one
     * (probes lost while the VPN was down) says nothing about them now. Servers known to be down are
     * unknown again, so the renewed registrations go to the first one; their probes decide the rest.
     */
    public synchronized void bridgeAddressChanged() {
        for (Health health : servers) {
            if (health.state == ServerState.DOWN) {
                health.state = ServerState.UNKNOWN;
            }
            health.suspect = false;
        }
    }

    public synchronized boolean isUp(ServerAddress server) {
        return find(server).map(h -> h.state == ServerState.UP).orElse(false);
    }

    public synchronized List<ServerStatus> snapshot() {
        Optional<ServerAddress> current = current();
        return servers.stream()
                .map(h -> new ServerStatus(
                        h.address.toString(),
                        h.state,
                        current.map(h.address::equals).orElse(false),
                        h.lastResponse,
                        h.optionsRttMs))
                .toList();
    }

    /** Why each down server is down, for the log and status reasons. */
    public synchronized List<String> problems() {
        return servers.stream()
                .filter(h -> h.state == ServerState.DOWN)
                .map(h -> h.address + ": " + h.lastProblem)
                .toList();
    }

    public synchronized Optional<ServerAddress> byHostPort(String host, int port) {
        return servers.stream()
                .map(h -> h.address)
                .filter(a -> a.host().equalsIgnoreCase(host) && a.port() == port)
                .findFirst();
    }

    private Optional<Health> find(ServerAddress server) {
        return servers.stream().filter(h -> h.address.equals(server)).findFirst();
    }
}
