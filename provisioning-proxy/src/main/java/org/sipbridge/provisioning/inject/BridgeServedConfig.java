package org.sipbridge.provisioning.inject;

import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;
import org.sipbridge.config.Transport;

/**
 * The configuration file the bridge serves itself and puts first in the phone's {@code CONFIG_FILES}
 * (Polycom UC Software 5.x/6.x parameter names; docs/provisioning.md says why each one). A pure renderer.
 */
public final class BridgeServedConfig {

    /** The entry added to CONFIG_FILES; the phone replaces the placeholder with its MAC address. */
    public static final String ENTRY = "sipbridge-[PHONE_MAC_ADDRESS].cfg";
    /** The names the phone asks for: the entry with its 12-digit MAC (any case). */
    private static final Pattern NAME = Pattern.compile("sipbridge-([0-9a-fA-F]{12})\\.cfg");
    /**
     * Registrations to point at the bridge: reg.1 to reg.34, the most any VVX model has under UC Software
     * 5.x/6.x; a phone with fewer lines ignores the rest.
     */
    public static final int LINES = 34;

    private BridgeServedConfig() {}

    /** The MAC in a request's last path segment when it names the served file, in lower case; else null. */
    public static String macOf(String lastSegment) {
        var m = NAME.matcher(lastSegment);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** Polycom's names for the transports: reg.x.outboundProxy.transport / voIpProt.SIP.outboundProxy.transport. */
    static String polycomTransport(Transport transport) {
        return switch (transport) {
            case UDP -> "UDPOnly";
            case TCP -> "TCPOnly";
            case TLS -> "TLS";
        };
    }

    /** The file for a phone that reached the bridge at {@code lanAddress}. */
    public static String render(InetAddress lanAddress, InjectionSettings settings) {
        String address = lanAddress.getHostAddress();
        String port = Integer.toString(settings.sipPort());
        String transport = polycomTransport(settings.transport());
        StringBuilder xml = new StringBuilder(4096);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
                .append(
                        "<!-- Served by sipbridge, not by the provisioning server: listed first in CONFIG_FILES, so its\n")
                .append("     values win. It makes the bridge at ")
                .append(address)
                .append(" this phone's outbound proxy. -->\n")
                .append("<polycomConfig>\n")
                .append("  <voIpProt.SIP.outboundProxy")
                .append(attribute("voIpProt.SIP.outboundProxy.address", address))
                .append(attribute("voIpProt.SIP.outboundProxy.port", port))
                .append(attribute("voIpProt.SIP.outboundProxy.transport", transport))
                .append("/>\n")
                .append("  <reg");
        for (int line = 1; line <= LINES; line++) {
            xml.append("\n      ")
                    .append(attribute("reg." + line + ".outboundProxy.address", address))
                    .append(attribute("reg." + line + ".outboundProxy.port", port))
                    .append(attribute("reg." + line + ".outboundProxy.transport", transport));
        }
        xml.append("/>\n");
        if (settings.syslogEnabled()) {
            // device.* values apply only with device.set="1" and their own .set="1".
            xml.append("  <device")
                    .append(attribute("device.set", "1"))
                    .append(attribute("device.syslog.serverName", syslogServer(address, settings.syslogPort())))
                    .append(attribute("device.syslog.serverName.set", "1"))
                    .append(attribute("device.syslog.transport", "UDP"))
                    .append(attribute("device.syslog.transport.set", "1"))
                    .append(attribute("device.syslog.prependMac", "1"))
                    .append(attribute("device.syslog.prependMac.set", "1"))
                    .append("/>\n");
        }
        return xml.append("</polycomConfig>\n").toString();
    }

    /** The phone sends syslog to port 514; another port is given as address:port. */
    private static String syslogServer(String address, int port) {
        return port == 514 ? address : address + ":" + port;
    }

    private static String attribute(String name, String value) {
        return " " + name + "=\"" + value + "\"";
    }
}
