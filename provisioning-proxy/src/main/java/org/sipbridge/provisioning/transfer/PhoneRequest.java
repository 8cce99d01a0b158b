package org.sipbridge.provisioning.transfer;

/**
 * A finished request through the proxy and the LAN address that sent it, for the daemon's phone book
 * (which joins it to the phone at that address, or to the MAC in a file name such as
 * {@code 0004f2aabbcc.cfg}).
 */
public record PhoneRequest(String clientAddress, Transfer transfer) {}
