package org.sipbridge.config;

import java.util.List;

/**
 * The whole configuration, grouped like the web pages. Immutable: a change is a new instance,
 * built with the {@code with...} methods and applied through the config store.
 */
public record BridgeConfig(
        BridgeSettings bridge,
        List<Station> stations,
        ProtocolSettings protocols,
        MediaSettings media,
        DiagnosticsSettings diagnostics,
        AdminSettings admin,
        WebSettings web,
        ManagementSettings management) {

    public BridgeConfig {
        stations = List.copyOf(stations);
    }

    public static BridgeConfig defaults() {
        return new BridgeConfig(
                BridgeSettings.defaults(),
                List.of(),
                ProtocolSettings.defaults(),
                MediaSettings.defaults(),
                DiagnosticsSettings.defaults(),
                AdminSettings.defaults(),
                WebSettings.defaults(),
                ManagementSettings.defaults());
    }

    public BridgeConfig withBridge(BridgeSettings value) {
        return new BridgeConfig(value, stations, protocols, media, diagnostics, admin, web, management);
    }

    public BridgeConfig withStations(List<Station> value) {
        return new BridgeConfig(bridge, value, protocols, media, diagnostics, admin, web, management);
    }

    public BridgeConfig withProtocols(ProtocolSettings value) {
        return new BridgeConfig(bridge, stations, value, media, diagnostics, admin, web, management);
    }

    public BridgeConfig withMedia(MediaSettings value) {
        return new BridgeConfig(bridge, stations, protocols, value, diagnostics, admin, web, management);
    }

    public BridgeConfig withDiagnostics(DiagnosticsSettings value) {
        return new BridgeConfig(bridge, stations, protocols, media, value, admin, web, management);
    }

    public BridgeConfig withAdmin(AdminSettings value) {
        return new BridgeConfig(bridge, stations, protocols, media, diagnostics, value, web, management);
    }

    public BridgeConfig withWeb(WebSettings value) {
        return new BridgeConfig(bridge, stations, protocols, media, diagnostics, admin, value, management);
    }

    public BridgeConfig withManagement(ManagementSettings value) {
        return new BridgeConfig(bridge, stations, protocols, media, diagnostics, admin, web, value);
    }
}
