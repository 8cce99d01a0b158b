package org.sipbridge.provisioning.inject;

import org.sipbridge.config.BridgeConfig;
import org.sipbridge.config.Transport;

/**
 * What the bridge tells a Polycom phone through the file it adds to the master configuration: read
 * from the configuration at each request, so a changed setting reaches the next phone that provisions.
 *
 * @param enabled       {@code bridge.phoneConfigInjection}
 * @param transport     {@code bridge.sipRegistrationProtocol}: how the phone reaches the bridge
 * @param sipPort       the bridge's SIP port for that transport ({@code protocols.<transport>.port})
 * @param syslogEnabled {@code diagnostics.syslogReceiverEnabled}
 * @param syslogPort    {@code diagnostics.syslogPort}
 */
public record InjectionSettings(
        boolean enabled, Transport transport, int sipPort, boolean syslogEnabled, int syslogPort) {

    public static final InjectionSettings OFF = new InjectionSettings(false, Transport.TCP, 8060, false, 514);

    public static InjectionSettings of(BridgeConfig config) {
        Transport transport = config.bridge().sipRegistrationProtocol();
        int port = switch (transport) {
            case UDP -> config.protocols().udp().port();
            case TCP -> config.protocols().tcp().port();
            case TLS -> config.protocols().tls().port();
        };
        return new InjectionSettings(
                config.bridge().managedPhoneProvisioning() && config.bridge().phoneConfigInjection(),
                transport,
                port,
                config.diagnostics().syslogReceiverEnabled(),
                config.diagnostics().syslogPort());
    }
}
