package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * JUnit extension for the lab tests without a registered phone: the namespaces of lab/topology.sh for the
 * whole class and, as asked, Kamailio on the PBX address ({@code dir()/kamailio}) and one bridge daemon
 * ({@code dir()/bridge}); after the class's last test everything is stopped, the namespaces deleted and
 * checked gone, and the directory removed ({@link ClassLab}). A class that starts a bridge per test closes
 * it itself.
 * <pre>
 * &#64;RegisterExtension
 * static final BridgeLab LAB = BridgeLab.bridge("sl", "\"diagnostics\": {…}");
 * </pre>
 */
final class BridgeLab extends ClassLab {

    private final boolean withPbx;
    private final Function<LabNetwork, String> bridgeConfig;
    private LabNetwork lab;
    private Kamailio pbx;
    private BridgeDaemon daemon;

    private BridgeLab(String letters, boolean withPbx, Function<LabNetwork, String> bridgeConfig) {
        super(letters);
        this.withPbx = withPbx;
        this.bridgeConfig = bridgeConfig;
    }

    /** The namespaces only. */
    static BridgeLab namespaces(String letters) {
        return new BridgeLab(letters, false, null);
    }

    /** The namespaces and Kamailio. */
    static BridgeLab withPbx(String letters) {
        return new BridgeLab(letters, true, null);
    }

    /** The namespaces and a bridge with the lab PBX as its server (no Kamailio) and {@code moreSections}. */
    static BridgeLab bridge(String letters, String moreSections) {
        return new BridgeLab(letters, false, lab -> LabCalls.bridgeConfig(lab, moreSections));
    }

    /** The namespaces and a bridge with the config {@code config} makes from the lab's facts (no Kamailio). */
    static BridgeLab bridge(String letters, Function<LabNetwork, String> config) {
        return new BridgeLab(letters, false, config);
    }

    @Override
    AutoCloseable start(String prefix, Path dir) throws Exception {
        lab = LabNetwork.up(prefix);
        try {
            if (withPbx) {
                pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
            }
            if (bridgeConfig != null) {
                daemon = BridgeDaemon.start(lab, dir.resolve("bridge"), bridgeConfig.apply(lab));
            }
        } catch (Exception | AssertionError e) {
            lab.close();
            throw e;
        }
        return this::stop;
    }

    private void stop() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            lab.close(); // kills whatever else runs in the namespaces, Kamailio too
        }
        assertEquals(List.of(), lab.remainingNamespaces(), "namespaces left behind");
    }

    LabNetwork lab() {
        return lab;
    }

    /** Kamailio, for a lab made {@link #withPbx(String)}. */
    Kamailio pbx() {
        return pbx;
    }

    /** The bridge, for a lab made with {@link #bridge(String, String)}. */
    BridgeDaemon daemon() {
        return daemon;
    }
}
