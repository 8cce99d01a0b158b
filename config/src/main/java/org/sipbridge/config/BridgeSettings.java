package org.sipbridge.config;

import java.util.List;

/** Configuration › Bridge: where the PBX is, which adapters face the phone and the VPN, provisioning. */
public record BridgeSettings(
        String name,
        List<String> servers,
        Transport serverTransport,
        String lanAdapter,
        String vpnAdapter,
        int listenPort,
        boolean managedPhoneProvisioning,
        int dhcpOptionCode,
        List<String> phoneMacAllowList,
        int provisioningHttpPort,
        int provisioningHttpsPort,
        boolean provisioningOverHttps,
        String provisioningCertificateFile,
        String provisioningPrivateKeyFile,
        String provisioningUpstream,
        Transport sipRegistrationProtocol,
        boolean phoneConfigInjection,
        int maxPhones) {

    /** Default of {@code maxPhones}: far above a home's needs, low enough to bound what the bridge tracks. */
    public static final int DEFAULT_MAX_PHONES = 32;
    /** The highest {@code maxPhones} the validator accepts. */
    public static final int MAX_PHONES_LIMIT = 256;

    /** Without {@code maxPhones}, which is then {@link #DEFAULT_MAX_PHONES}. */
    public BridgeSettings(
            String name,
            List<String> servers,
            Transport serverTransport,
            String lanAdapter,
            String vpnAdapter,
            int listenPort,
            boolean managedPhoneProvisioning,
            int dhcpOptionCode,
            List<String> phoneMacAllowList,
            int provisioningHttpPort,
            int provisioningHttpsPort,
            boolean provisioningOverHttps,
            String provisioningCertificateFile,
            String provisioningPrivateKeyFile,
            String provisioningUpstream,
            Transport sipRegistrationProtocol,
            boolean phoneConfigInjection) {
        this(
                name,
                servers,
                serverTransport,
                lanAdapter,
                vpnAdapter,
                listenPort,
                managedPhoneProvisioning,
                dhcpOptionCode,
                phoneMacAllowList,
                provisioningHttpPort,
                provisioningHttpsPort,
                provisioningOverHttps,
                provisioningCertificateFile,
                provisioningPrivateKeyFile,
                provisioningUpstream,
                sipRegistrationProtocol,
                phoneConfigInjection,
                DEFAULT_MAX_PHONES);
    }

    /** Without {@code phoneConfigInjection}, which is then on (its default). */
    public BridgeSettings(
            String name,
            List<String> servers,
            Transport serverTransport,
            String lanAdapter,
            String vpnAdapter,
            int listenPort,
            boolean managedPhoneProvisioning,
            int dhcpOptionCode,
            List<String> phoneMacAllowList,
            int provisioningHttpPort,
            int provisioningHttpsPort,
            boolean provisioningOverHttps,
            String provisioningCertificateFile,
            String provisioningPrivateKeyFile,
            String provisioningUpstream,
            Transport sipRegistrationProtocol) {
        this(
                name,
                servers,
                serverTransport,
                lanAdapter,
                vpnAdapter,
                listenPort,
                managedPhoneProvisioning,
                dhcpOptionCode,
                phoneMacAllowList,
                provisioningHttpPort,
                provisioningHttpsPort,
                provisioningOverHttps,
                provisioningCertificateFile,
                provisioningPrivateKeyFile,
                provisioningUpstream,
                sipRegistrationProtocol,
                true);
    }

    public BridgeSettings {
        servers = List.copyOf(servers);
        phoneMacAllowList = List.copyOf(phoneMacAllowList);
    }

    public static BridgeSettings defaults() {
        return new BridgeSettings(
                "",
                List.of(),
                Transport.UDP,
                "",
                "",
                343,
                true,
                160,
                List.of(),
                8088,
                8089,
                false,
                "",
                "",
                "",
                Transport.TCP,
                true,
                DEFAULT_MAX_PHONES);
    }

    /** True once IT has said which PBX to use and which adapters face the phone and the VPN. */
    public boolean isConfigured() {
        return !servers.isEmpty() && !lanAdapter.isBlank() && !vpnAdapter.isBlank();
    }

    public BridgeSettings withServers(List<String> value) {
        return new BridgeSettings(
                name,
                value,
                serverTransport,
                lanAdapter,
                vpnAdapter,
                listenPort,
                managedPhoneProvisioning,
                dhcpOptionCode,
                phoneMacAllowList,
                provisioningHttpPort,
                provisioningHttpsPort,
                provisioningOverHttps,
                provisioningCertificateFile,
                provisioningPrivateKeyFile,
                provisioningUpstream,
                sipRegistrationProtocol,
                phoneConfigInjection,
                maxPhones);
    }

    public BridgeSettings withPhoneMacAllowList(List<String> value) {
        return new BridgeSettings(
                name,
                servers,
                serverTransport,
                lanAdapter,
                vpnAdapter,
                listenPort,
                managedPhoneProvisioning,
                dhcpOptionCode,
                value,
                provisioningHttpPort,
                provisioningHttpsPort,
                provisioningOverHttps,
                provisioningCertificateFile,
                provisioningPrivateKeyFile,
                provisioningUpstream,
                sipRegistrationProtocol,
                phoneConfigInjection,
                maxPhones);
    }

    public BridgeSettings withPhoneConfigInjection(boolean value) {
        return new BridgeSettings(
                name,
                servers,
                serverTransport,
                lanAdapter,
                vpnAdapter,
                listenPort,
                managedPhoneProvisioning,
                dhcpOptionCode,
                phoneMacAllowList,
                provisioningHttpPort,
                provisioningHttpsPort,
                provisioningOverHttps,
                provisioningCertificateFile,
                provisioningPrivateKeyFile,
                provisioningUpstream,
                sipRegistrationProtocol,
                value,
                maxPhones);
    }

    public BridgeSettings withMaxPhones(int value) {
        return new BridgeSettings(
                name,
                servers,
                serverTransport,
                lanAdapter,
                vpnAdapter,
                listenPort,
                managedPhoneProvisioning,
                dhcpOptionCode,
                phoneMacAllowList,
                provisioningHttpPort,
                provisioningHttpsPort,
                provisioningOverHttps,
                provisioningCertificateFile,
                provisioningPrivateKeyFile,
                provisioningUpstream,
                sipRegistrationProtocol,
                phoneConfigInjection,
                value);
    }

    public BridgeSettings withAdapters(String lan, String vpn) {
        return new BridgeSettings(
                name,
                servers,
                serverTransport,
                lan,
                vpn,
                listenPort,
                managedPhoneProvisioning,
                dhcpOptionCode,
                phoneMacAllowList,
                provisioningHttpPort,
                provisioningHttpsPort,
                provisioningOverHttps,
                provisioningCertificateFile,
                provisioningPrivateKeyFile,
                provisioningUpstream,
                sipRegistrationProtocol,
                phoneConfigInjection,
                maxPhones);
    }
}
