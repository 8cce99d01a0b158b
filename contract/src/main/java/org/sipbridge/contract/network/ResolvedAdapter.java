package org.sipbridge.contract.network;

/** An adapter chosen by a config value, with the IPv4 address the bridge binds to on it. */
public record ResolvedAdapter(NetworkAdapter adapter, Ipv4Subnet address) {

    public String addressText() {
        return address.addressText();
    }
}
