package org.sipbridge.web;

import java.util.List;
import java.util.function.Supplier;
import org.sipbridge.config.persistence.ConfigStore;
import org.sipbridge.contract.api.About;
import org.sipbridge.contract.network.NetworkAdapter;

/**
 * What the configuration pages need from the daemon: the config store they read and change, the
 * adapters found on this computer, the About facts, the Connect/Disconnect switch and the TLS facts.
 */
public record AdminSources(
        ConfigStore config,
        Supplier<List<NetworkAdapter>> adapters,
        Supplier<About> about,
        BridgeConnection connection,
        SipTls tls) {}
