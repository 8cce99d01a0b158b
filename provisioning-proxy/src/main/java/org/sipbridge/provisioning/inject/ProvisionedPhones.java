package org.sipbridge.provisioning.inject;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The phones that fetched the bridge's own file, and the bridge address it named: when the LAN address
 * changes, those phones still send to the old one until they provision again, and the status says so.
 * Outlives restarts of the proxy (the daemon keeps one); bounded, as a hostile LAN could invent MACs.
 */
public final class ProvisionedPhones {

    /** At most this many phones are remembered (the least recent is forgotten first). */
    static final int LIMIT = 256;

    /** A phone (by MAC, lower case) that was told to use {@code bridgeAddress} at {@code at}. */
    public record Served(String mac, String bridgeAddress, Instant at) {}

    private final Clock clock;
    private final Map<String, Served> byMac = new ConcurrentHashMap<>();

    public ProvisionedPhones(Clock clock) {
        this.clock = clock;
    }

    void served(String mac, String bridgeAddress) {
        byMac.put(mac, new Served(mac, bridgeAddress, clock.instant()));
        if (byMac.size() > LIMIT) {
            byMac.values().stream()
                    .min(Comparator.comparing(Served::at))
                    .ifPresent(oldest -> byMac.remove(oldest.mac()));
        }
    }

    /** Every phone served so far, most recent first. */
    public List<Served> all() {
        return byMac.values().stream()
                .sorted(Comparator.comparing(Served::at).reversed())
                .toList();
    }

    /** The phones that were told another address than {@code currentAddress}: they must provision again. */
    public List<Served> toldOtherThan(String currentAddress) {
        return all().stream()
                .filter(s -> !s.bridgeAddress().equals(currentAddress))
                .toList();
    }
}
