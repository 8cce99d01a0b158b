package org.sipbridge.daemon;

import java.util.List;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.daemon.syslog.SyslogReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phones' syslog: the receiver on the LAN adapter while {@code diagnostics.syslogReceiverEnabled} is on,
 * restarted when {@code diagnostics.syslogPort} changes, writing to syslog.log; and its metrics.
 */
final class SyslogFeature {

    private final AdapterBoundService<SyslogReceiver> receiver;
    private final SwitchableService whenEnabled;

    SyslogFeature(DaemonContext context) {
        Logger syslogLines = LoggerFactory.getLogger(LogSetup.SYSLOG_LOGGER);
        receiver = context.onAdapters(
                "syslog-receiver",
                SyslogReceiver.START_FAILURE,
                false,
                (lan, vpn) -> new SyslogReceiver(
                        lan.address(), context.store().current().diagnostics().syslogPort(), syslogLines::info));
        whenEnabled = new SwitchableService(
                receiver, () -> context.store().current().diagnostics().syslogReceiverEnabled());
        context.store().subscribe(c -> c.diagnostics().syslogReceiverEnabled(), on -> whenEnabled.apply());
        context.store().subscribe(c -> c.diagnostics().syslogPort(), port -> whenEnabled.restart());
    }

    /** The receiver as the service manager runs it: only while enabled. */
    SwitchableService service() {
        return whenEnabled;
    }

    MetricSource metrics() {
        return () -> receiver.running().map(SyslogReceiver::metrics).orElse(List.of());
    }
}
