package org.sipbridge.sip.servers;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.status.ServerStatus;
import org.sipbridge.config.status.ServerStatus.ServerState;

/**
 * The registration group: servers in failover order and what is known of each. The current server
 * is the first one not known to be down, so the bridge fails over when a server goes down and fails
 * back as soon as an earlier one answers again. Thread-safe.
 */
public final class RegistrationGroup {

    private static final class Health {
        final ServerAddress address;
        ServerState state = ServerState.UNKNOWN;
        Instant lastResponse;
        long optionsRttMs = -1;
        String lastProblem = "";

        Health(ServerAddress address) {
            this.address = address;
        }
    }

    private final List<Health> servers = new ArrayList<>();
    private final Clock clock;

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

    /** The server to send new requests to: the first not known to be down. */
    public synchronized Optional<ServerAddress> current() {
        return servers.stream().filter(h -> h.state != ServerState.DOWN).map(h -> h.address).findFirst();
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

    /** A server answered (any SIP response proves it is alive). */
    public synchronized void answered(ServerAddress server) {
        find(server).ifPresent(h -> {
            h.state = ServerState.UP;
            h.lastResponse = clock.instant();
            h.lastProblem = "";
        });
    }

    /** An OPTIONS probe was answered after {@code rttMs}. */
    public synchronized void probed(ServerAddress server, long rttMs) {
        answered(server);
        find(server).ifPresent(h -> h.optionsRttMs = rttMs);
    }

    /** A server did not answer, refused the connection, or said 5xx. */
    public synchronized void failed(ServerAddress server, String problem) {
        find(server).ifPresent(h -> {
            h.state = ServerState.DOWN;
            h.lastProblem = problem;
        });
    }

    public synchronized boolean isUp(ServerAddress server) {
        return find(server).map(h -> h.state == ServerState.UP).orElse(false);
    }

    public synchronized List<ServerStatus> snapshot() {
        Optional<ServerAddress> current = current();
        return servers.stream().map(h -> new ServerStatus(h.address.toString(), h.state,
                current.map(h.address::equals).orElse(false), h.lastResponse, h.optionsRttMs)).toList();
    }

    /** Why each down server is down, for the log and status reasons. */
    public synchronized List<String> problems() {
        return servers.stream().filter(h -> h.state == ServerState.DOWN)
                .map(h -> h.address + ": " + h.lastProblem).toList();
    }

    public synchronized Optional<ServerAddress> byHostPort(String host, int port) {
        return servers.stream().map(h -> h.address)
                .filter(a -> a.host().equalsIgnoreCase(host) && a.port() == port).findFirst();
    }

    private Optional<Health> find(ServerAddress server) {
        return servers.stream().filter(h -> h.address.equals(server)).findFirst();
    }
}
