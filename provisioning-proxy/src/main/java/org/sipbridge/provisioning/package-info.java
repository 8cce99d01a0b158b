/**
 * The provisioning proxy: the phone fetches its configuration and firmware from the bridge's LAN
 * address (HTTP 8088, HTTPS 8089) and the bridge relays each request, streaming, to the office
 * provisioning server from its VPN address. Entry point: {@link org.sipbridge.provisioning.ProvisioningProxyService}.
 * Sub-packages: {@code http} (the handler chain around Undertow's ProxyHandler), {@code tls} (the
 * listener certificate, upstream trust and pinning), {@code transfer} (transfers for the status page).
 */
package org.sipbridge.provisioning;
