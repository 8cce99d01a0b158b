package org.sipbridge.sip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.sipbridge.contract.network.Ipv4Subnet;
import org.sipbridge.contract.network.NetworkAdapter;
import org.sipbridge.contract.network.ResolvedAdapter;

/** Loopback stand-ins for the bridge's adapters in tests: the phone side on 127.0.0.1, the PBX side on 127.0.0.3. */
public final class Loopback {

    public static final String LAN = "127.0.0.1";
    public static final String VPN = "127.0.0.3";

    private Loopback() {}

    /** An adapter called {@code name} that owns just {@code address}. */
    public static ResolvedAdapter adapter(String name, String address) {
        Ipv4Subnet subnet = Ipv4Subnet.parse(address + "/32");
        return new ResolvedAdapter(new NetworkAdapter(name, name, true, false, List.of(subnet)), subnet);
    }

    /** A TCP port free on {@code address} right now (the same number is used for UDP). */
    public static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }
}
