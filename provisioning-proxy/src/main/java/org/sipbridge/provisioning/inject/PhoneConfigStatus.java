package org.sipbridge.provisioning.inject;

import java.util.List;
import java.util.Optional;
import org.sipbridge.contract.service.Reason;

/**
 * The injection as the Bridge status page shows it: on or off, what a phone is told now, which phones
 * fetched the bridge's file and whether they must provision again because the LAN address changed.
 *
 * @param enabled       injection on (managed provisioning and {@code bridge.phoneConfigInjection})
 * @param outboundProxy what the file names now, {@code address:port}, empty without a LAN address
 * @param transport     the Polycom transport name ({@code TCPOnly}...)
 * @param syslogServer  the syslog server given to the phone, empty when the receiver is off
 * @param phones        phones that fetched the file, most recent first
 * @param mustProvision those that were told another address than the current one
 */
public record PhoneConfigStatus(
        boolean enabled,
        String outboundProxy,
        String transport,
        String syslogServer,
        List<ProvisionedPhones.Served> phones,
        List<ProvisionedPhones.Served> mustProvision) {

    public static PhoneConfigStatus of(
            InjectionSettings settings, Optional<String> lanAddress, ProvisionedPhones served) {
        List<ProvisionedPhones.Served> stale =
                lanAddress.map(served::toldOtherThan).orElse(List.of());
        return new PhoneConfigStatus(
                settings.enabled(),
                lanAddress.map(a -> a + ":" + settings.sipPort()).orElse(""),
                BridgeServedConfig.polycomTransport(settings.transport()),
                settings.syslogEnabled() ? lanAddress.orElse("") : "",
                served.all(),
                stale);
    }

    /** The warning while phones still use an old address (never Not Ready: they may get it at their next boot). */
    public Optional<Reason> warning(String source) {
        if (mustProvision.isEmpty()) {
            return Optional.empty();
        }
        ProvisionedPhones.Served first = mustProvision.get(0);
        return Optional.of(Reason.warning(
                source,
                mustProvision.size() + " phone(s) were given the bridge's old LAN address " + first.bridgeAddress()
                        + " as outbound proxy; the bridge is now at " + outboundProxy,
                "Restart them so they provision again and learn the new address: "
                        + String.join(
                                ", ",
                                mustProvision.stream()
                                        .map(ProvisionedPhones.Served::mac)
                                        .toList())));
    }
}
