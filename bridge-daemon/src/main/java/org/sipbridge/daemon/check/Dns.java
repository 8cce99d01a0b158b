package org.sipbridge.daemon.check;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Name lookups with a deadline: the JDK's own resolver can hang for long on a broken VPN DNS. */
final class Dns {

    private Dns() {}

    static Optional<InetAddress> resolve(String host, Duration timeout) {
        try {
            return Optional.ofNullable(CompletableFuture.supplyAsync(() -> {
                        try {
                            for (InetAddress address : InetAddress.getAllByName(host)) {
                                if (address instanceof Inet4Address) {
                                    return address;
                                }
                            }
                            return null;
                        } catch (java.net.UnknownHostException e) {
                            return null;
                        }
                    })
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
