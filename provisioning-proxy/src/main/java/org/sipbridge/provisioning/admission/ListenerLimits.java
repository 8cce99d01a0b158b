package org.sipbridge.provisioning.admission;

import java.time.Duration;

/**
 * How many connections each provisioning listener keeps open, so that a flood from the LAN cannot use
 * up the process's file descriptors (and with them the web UI and the adapter watcher).
 *
 * @param perSource        open connections from one address, per listener (a phone needs one or two)
 * @param total            open connections per listener, from all addresses together
 * @param idle             how long a connection may stay open with no request under way (none sent yet,
 *                         or between keep-alive requests) before the proxy closes it
 * @param descriptorShare  new connections are refused while the process uses more than this share of
 *                         its file-descriptor limit, keeping the rest for the admin UI and the daemon
 */
public record ListenerLimits(int perSource, int total, Duration idle, double descriptorShare) {

    public static final ListenerLimits DEFAULT = new ListenerLimits(32, 256, Duration.ofSeconds(30), 0.75);

    public ListenerLimits {
        if (perSource < 1 || total < perSource) {
            throw new IllegalArgumentException(
                    "connection limits must satisfy 1 <= perSource <= total (were " + perSource + ", " + total + ")");
        }
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive (was " + idle + ")");
        }
        if (!(descriptorShare > 0 && descriptorShare <= 1)) {
            throw new IllegalArgumentException("descriptor share must be in (0, 1] (was " + descriptorShare + ")");
        }
    }

    public ListenerLimits withIdle(Duration newIdle) {
        return new ListenerLimits(perSource, total, newIdle, descriptorShare);
    }
}
