package org.sipbridge.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Transport;
import org.sipbridge.sip.identity.Device;

/** Which devices hold a live registration (identity checks; the SIP listeners protect their connections). */
class BindingTableTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
    private final BindingTable table = new BindingTable(clock);

    private void bind(String token, String user, Device device, long secondsLeft) {
        table.put(new Binding(
                token,
                "sip:" + user + "@pbx",
                user,
                "sip:" + user + "@" + device.ip() + ":" + device.port(),
                "sip:" + user + "@10.8.0.2;sbid=" + token,
                ServerAddress.parse("10.8.0.1:5060"),
                device,
                clock.instant().plusSeconds(secondsLeft)));
    }

    @Test
    void anAddressHoldsALiveBindingWhenADeviceThereRegistered() {
        bind("a", "1001", new Device(Transport.TCP, "192.168.1.20", 40112), 60);
        bind("b", "1002", new Device(Transport.UDP, "192.168.1.21", 5060), 0);

        assertTrue(table.hasLiveBindingFrom("192.168.1.20"));
        assertFalse(table.hasLiveBindingFrom("192.168.1.21"), "expired binding");
        assertFalse(table.hasLiveBindingFrom("192.168.1.2"), "a prefix of the address is not the address");
    }

    @Test
    void anIdentityBelongsToTheDeviceThatRegisteredIt() {
        bind("a", "1001", new Device(Transport.UDP, "192.168.1.20", 5060), 60);
        bind("t", "1003", new Device(Transport.TCP, "192.168.1.30", 40112), 60);

        assertTrue(table.isBoundTo("1001", new Device(Transport.UDP, "192.168.1.20", 5060)));
        assertFalse(table.isBoundTo("1001", new Device(Transport.UDP, "192.168.1.20", 5062)), "UDP: another port");
        assertFalse(table.isBoundTo("1001", new Device(Transport.UDP, "192.168.1.66", 5060)), "another address");
        assertTrue(table.isBoundTo("1003", new Device(Transport.TCP, "192.168.1.30", 40999)), "TCP: a new connection");
        assertFalse(table.isBoundTo("1002", new Device(Transport.UDP, "192.168.1.20", 5060)), "another user");
        assertTrue(table.isBoundFromAnotherAddress("1001", new Device(Transport.UDP, "192.168.1.66", 5060)));
        assertFalse(table.isBoundFromAnotherAddress("1001", new Device(Transport.UDP, "192.168.1.20", 5099)));
    }

    @Test
    void aGruuLeadsToItsBindingWhileTheBindingLives() throws Exception {
        javax.sip.address.AddressFactory addresses =
                javax.sip.SipFactory.getInstance().createAddressFactory();
        bind("a", "1004", new Device(Transport.UDP, "192.168.1.20", 5062), 60);
        bind("x", "1005", new Device(Transport.UDP, "192.168.1.21", 5062), 0);
        table.assignGruu(
                "a", (javax.sip.address.SipURI) addresses.createURI("sip:1004@sipbridge.lab;gr=urn:uuid:f81d"));
        table.assignGruu("a", (javax.sip.address.SipURI) addresses.createURI("sip:tgruu.7@sipbridge.lab;gr"));
        table.assignGruu("x", (javax.sip.address.SipURI) addresses.createURI("sip:1005@sipbridge.lab;gr=urn:uuid:0"));
        table.assignGruu("a", (javax.sip.address.SipURI) addresses.createURI("sip:1004@sipbridge.lab"));

        assertEquals(
                Optional.of("a"),
                table.byGruu(addresses.createURI("sip:1004@SIPBRIDGE.lab;gr=urn:uuid:f81d"))
                        .map(Binding::token),
                "public GRUU, host in another case");
        assertEquals(
                Optional.of("a"),
                table.byGruu(addresses.createURI("sip:tgruu.7@sipbridge.lab;gr"))
                        .map(Binding::token),
                "temporary GRUU");
        assertEquals(Optional.empty(), table.byGruu(addresses.createURI("sip:1004@sipbridge.lab;gr=urn:uuid:other")));
        assertEquals(Optional.empty(), table.byGruu(addresses.createURI("sip:1004@sipbridge.lab")), "no GRUU");
        assertEquals(
                Optional.empty(),
                table.byGruu(addresses.createURI("sip:1005@sipbridge.lab;gr=urn:uuid:0")),
                "expired binding");
        table.remove("a");
        assertEquals(
                Optional.empty(), table.byGruu(addresses.createURI("sip:tgruu.7@sipbridge.lab;gr")), "removed binding");
    }
}
