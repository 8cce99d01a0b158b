package org.sipbridge.daemon.check;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.status.DscpMarking;

/**
 * {@code sipbridge check} and the web UI's Self-check page: every check in order, each with a
 * plain-words result and the fix. A check that breaks becomes a failure naming why, never a crash.
 */
public final class SelfCheck {

    private final Supplier<BridgeConfig> config;
    private final Supplier<List<NetworkAdapter>> adapters;
    private final Supplier<DscpMarking> dscp;
    private final String buildTime;
    private final Clock clock;

    public SelfCheck(
            Supplier<BridgeConfig> config,
            Supplier<List<NetworkAdapter>> adapters,
            Supplier<DscpMarking> dscp,
            String buildTime,
            Clock clock) {
        this.config = config;
        this.adapters = adapters;
        this.dscp = dscp;
        this.buildTime = buildTime;
        this.clock = clock;
    }

    /** Runs every check; {@code sipbridgeRunning}: the ports the config needs may be held by it. */
    public CheckReport run(boolean sipbridgeRunning) {
        CheckContext context = CheckContext.of(config.get(), adapters.get(), sipbridgeRunning, buildTime, clock);
        UpstreamCheck upstream = new UpstreamCheck();
        List<Check> checks = List.of(
                new AdapterCheck(),
                new SubnetOverlapCheck(),
                new RouteCheck(),
                new PortCheck(),
                new ServerCheck(),
                upstream,
                new ClockCheck(upstream::dateHeader),
                this::dscpCheck,
                new VpnDscpCheck(VpnDscpClassifier.ofThisComputer()));
        List<CheckResult> results = new ArrayList<>();
        for (Check check : checks) {
            try {
                results.addAll(check.run(context));
            } catch (Exception | LinkageError e) {
                results.add(CheckResult.fail(
                        check.getClass().getSimpleName(),
                        check.getClass().getSimpleName(),
                        "the check itself failed: " + e,
                        "Report this with the log to IT."));
            }
        }
        return CheckReport.of(clock.instant().toString(), results);
    }

    private List<CheckResult> dscpCheck(CheckContext context) {
        DscpMarking marking = dscp.get();
        return List.of(
                marking.state() == DscpMarking.State.CONFIRMED
                        ? CheckResult.pass(
                                "dscp", "DSCP marking", "this computer marks packets (IP_TOS set and read back)")
                        : CheckResult.warn(
                                "dscp",
                                "DSCP marking",
                                "cannot be confirmed: " + marking.reason(),
                                "On Windows install the QoS policy (docs/install.md); elsewhere calls work, unmarked."));
    }
}
