package org.sipbridge.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipbridge.config.BridgeConfig;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.service.Severity;
import org.sipbridge.dhcp.codec.BootOp;
import org.sipbridge.dhcp.codec.DhcpDecoder;
import org.sipbridge.dhcp.codec.DhcpMessage;
import org.sipbridge.dhcp.codec.DhcpMessageType;
import org.sipbridge.dhcp.codec.GoldenPackets;
import org.sipbridge.dhcp.codec.Ipv4;
import org.sipbridge.dhcp.codec.MalformedDhcpException;
import org.sipbridge.dhcp.codec.Octets;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.dhcp.reply.MacAllowList;
import org.sipbridge.dhcp.reply.ReplyPorts;
import org.sipbridge.io.IoBackend;

/**
 * The real service on real sockets, on loopback only: the "LAN adapter" is {@code 127.0.0.1}
 * (resolved from this computer's adapters, 127.0.0.0/8), the ports are unprivileged, and the phone is
 * a plain UDP socket on 127.0.0.1 that sends the scapy-made DHCPINFORM with its ciaddr set to 127.0.0.1.
 */
class DhcpResponderServiceIT {

    private static final int RECEIVE_TIMEOUT_MS = 5000;

    private final AtomicReference<BridgeConfig> config =
            new AtomicReference<>(TestConfigs.config("127.0.0.1", true, 160, 8088));
    private DatagramSocket phone;
    private int serverPort;
    private DhcpResponderService service;

    @BeforeEach
    void openPhone() throws IOException {
        phone = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        phone.setSoTimeout(RECEIVE_TIMEOUT_MS);
        serverPort = freePort();
    }

    @AfterEach
    void closeEverything() {
        if (service != null) {
            service.stop();
        }
        phone.close();
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void answersAnInformAndNothingElse(IoBackend backend) throws Exception {
        startService(backend);

        send(inform(0x1001));
        DatagramPacket first = receive();
        DhcpMessage ack = DhcpDecoder.decode(Arrays.copyOf(first.getData(), first.getLength()));
        assertEquals(300, first.getLength(), "padded to the BOOTP minimum");
        assertEquals(serverPort, first.getPort(), "the reply leaves from the listening socket");
        assertEquals(BootOp.BOOTREPLY, ack.op());
        assertEquals(0x1001, ack.xid());
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.options().messageType());
        assertEquals("127.0.0.1", Ipv4.text(ack.options().serverIdentifier().getAsInt()));
        assertEquals(
                Optional.of(Octets.ascii("http://127.0.0.1:8088/")),
                ack.options().value(160));
        assertFalse(ack.options().contains(51));

        send(GoldenPackets.bytes(GoldenPackets.DISCOVER));
        send("not DHCP at all".getBytes(StandardCharsets.US_ASCII));
        send(inform(0x1002));
        // One event-loop thread handles datagrams in order: had the DISCOVER or the garbage been
        // answered, that answer would arrive before the second ACK.
        assertEquals(0x1002, decode(receive()).xid());

        DhcpStats stats = service.stats();
        assertEquals(2, stats.informsSeen());
        assertEquals(2, stats.answered());
        assertEquals(1, stats.ignored(IgnoreReason.NOT_INFORM));
        assertEquals(1, stats.ignoredTotal());
        assertEquals(1, stats.malformed());
        PhoneSighting lastPhone = stats.lastPhone().orElseThrow();
        assertEquals("00:04:f2:12:34:56", lastPhone.mac());
        assertEquals("127.0.0.1", lastPhone.clientAddress());
        assertEquals("Polycom-VVX450", lastPhone.vendorClass());
        assertTrue(lastPhone.answered());
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void withEpollTheSocketListensOnTheLanAdaptersDeviceOnly(IoBackend backend) throws Exception {
        startService(backend);
        // 127.0.0.1 is on "lo": with epoll the socket is bound to it (SO_BINDTODEVICE), so a datagram that
        // arrives on any other interface (the VPN adapter) never reaches the responder. NIO cannot do that.
        assertEquals(backend == IoBackend.EPOLL ? Optional.of("lo") : Optional.empty(), service.boundDevice());
        send(inform(0x4001));
        assertEquals(0x4001, decode(receive()).xid(), "a bound socket still answers on its own device");
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void anInformWhoseSourceIsNotItsClientAddressIsNotAnswered(IoBackend backend) throws Exception {
        startService(backend);
        try (DatagramSocket forger = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            byte[] forged = inform(0x4002); // ciaddr 127.0.0.1, sent from 127.0.0.2; its answer would go to the phone
            forger.send(new DatagramPacket(forged, forged.length, new InetSocketAddress("127.0.0.1", serverPort)));
        }
        send(inform(0x4003));
        // Datagrams are handled in order on one thread: an answer to the forged one would come first.
        assertEquals(0x4003, decode(receive()).xid());
        assertEquals(1, service.stats().ignored(IgnoreReason.SOURCE_MISMATCH));
    }

    /**
     * A second LAN device floods port 67 with INFORMs (valid ones, answered to itself) and garbage: each
     * INFORM used to cost a listing of this computer's adapters; now a listing a second at most. The
     * phone's INFORM behind the flood is still answered, and the garbage is counted and dropped.
     */
    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void aFloodFromAnotherLanDeviceCostsOneAdapterListingASecond(IoBackend backend) throws Exception {
        AtomicInteger listings = new AtomicInteger();
        LanAddressLookup system = LanAddressLookup.systemAdapters();
        service = newService(backend, spec -> {
            listings.incrementAndGet();
            return system.resolve(spec);
        });
        service.start();
        int flood = 2000;
        long startedNanos = System.nanoTime();
        try (DatagramSocket device = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            byte[] informFromDevice = inform(0x5001, "127.0.0.2");
            byte[] garbage = "not DHCP at all".getBytes(StandardCharsets.US_ASCII);
            InetSocketAddress responder = new InetSocketAddress("127.0.0.1", serverPort);
            for (int i = 1; i <= flood; i++) {
                device.send(new DatagramPacket(informFromDevice, informFromDevice.length, responder));
                if (i % 100 == 0) {
                    device.send(new DatagramPacket(garbage, garbage.length, responder));
                    awaitInforms(i); // in bursts the socket's buffer holds, so that the whole flood is handled
                }
            }
        }
        assertEquals(0x5002, decode(askLikeAPhone(inform(0x5002))).xid(), "the phone is answered behind the flood");
        long seconds = (System.nanoTime() - startedNanos + 999_999_999L) / 1_000_000_000L; // rounded up

        DhcpStats stats = service.stats();
        System.out.printf(
                "DHCP flood (%s): %d INFORMs handled in about %d s, %d adapter listings%n",
                backend, stats.informsSeen(), seconds, listings.get());
        assertEquals(flood + 1, stats.informsSeen(), "the whole flood and the phone's INFORM");
        assertEquals(flood / 100, stats.malformed(), "garbage is counted");
        assertEquals(flood + 1, stats.answered(), "and dropped, never answered");
        // One at bind (the LAN device), then at most one per second begun.
        assertTrue(
                listings.get() <= 2 + seconds,
                listings.get() + " listings for " + stats.informsSeen() + " INFORMs in " + seconds + " s");
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void followsConfigChangesWithoutARestart(IoBackend backend) throws Exception {
        startService(backend);
        send(inform(0x2001));
        assertEquals(
                Optional.of(Octets.ascii("http://127.0.0.1:8088/")),
                decode(receive()).options().value(160));

        config.set(TestConfigs.config("127.0.0.1", true, 66, 9090));
        send(inform(0x2002));

        DhcpMessage ack = decode(receive());
        assertEquals(0x2002, ack.xid());
        assertEquals(
                Optional.of(Octets.ascii("http://127.0.0.1:9090/")),
                ack.options().value(66));
        assertFalse(ack.options().contains(160));
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void stopReleasesThePort(IoBackend backend) throws Exception {
        startService(backend);
        assertEquals(OptionalInt.of(serverPort), service.listeningPort());
        assertThrows(BindException.class, () -> bindAllInterfaces(serverPort).close(), "the service holds the port");

        service.stop();

        assertEquals(OptionalInt.empty(), service.listeningPort());
        bindAllInterfaces(serverPort).close();
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void saysWhyItCannotListenOnATakenPort(IoBackend backend) throws Exception {
        service = newService(backend);
        try (DatagramSocket otherServer = bindAllInterfaces(serverPort)) {
            assertTrue(otherServer.isBound());
            IOException e = assertThrows(IOException.class, service::start);
            assertEquals(
                    "cannot listen on 0.0.0.0:" + serverPort
                            + ": Address already in use (another DHCP server runs on this computer)",
                    e.getMessage());
            assertEquals(OptionalInt.empty(), service.listeningPort());
        }

        service.start();

        assertEquals(OptionalInt.of(serverPort), service.listeningPort());
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void bindsOnlyWhileProvisioningIsOn(IoBackend backend) throws Exception {
        config.set(TestConfigs.config("127.0.0.1", false, 160, 8088));
        startService(backend);
        assertEquals(OptionalInt.empty(), service.listeningPort());
        bindAllInterfaces(serverPort).close();

        config.set(TestConfigs.config("127.0.0.1", true, 160, 8088));
        service.applyConfig();
        assertEquals(OptionalInt.of(serverPort), service.listeningPort());
        send(inform(0x3001));
        assertEquals(0x3001, decode(receive()).xid());

        config.set(TestConfigs.config("127.0.0.1", false, 160, 8088));
        service.applyConfig();
        assertEquals(OptionalInt.empty(), service.listeningPort());
        bindAllInterfaces(serverPort).close();
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void reportsAPortTakenWhenSwitchedOnAsAWarning(IoBackend backend) throws Exception {
        config.set(TestConfigs.config("127.0.0.1", false, 160, 8088));
        startService(backend);
        config.set(TestConfigs.config("127.0.0.1", true, 160, 8088));

        try (DatagramSocket otherServer = bindAllInterfaces(serverPort)) {
            assertTrue(otherServer.isBound());
            service.applyConfig();
            List<Reason> reasons = service.reasons();
            assertEquals(1, reasons.size());
            assertEquals(Severity.WARNING, reasons.get(0).severity());
            assertEquals(
                    "dhcp-responder could not start: cannot listen on 0.0.0.0:" + serverPort
                            + ": Address already in use (another DHCP server runs on this computer)",
                    reasons.get(0).message());
        }

        service.applyConfig();

        assertEquals(List.of(), service.reasons());
        assertEquals(OptionalInt.of(serverPort), service.listeningPort());
    }

    /** Whatever backend the daemon gets on this machine reports a taken port in words, not a linkage error. */
    @Test
    void theDefaultTransportSaysWhyItCannotListen() throws Exception {
        DhcpResponderService defaults = new DhcpResponderService(
                config::get,
                LanAddressLookup.systemAdapters(),
                MacAllowList.ANY,
                new ReplyPorts(serverPort, phone.getLocalPort()));
        try (DatagramSocket otherServer = bindAllInterfaces(serverPort)) {
            assertTrue(otherServer.isBound());
            IOException e = assertThrows(IOException.class, defaults::start);
            assertEquals(
                    "cannot listen on 0.0.0.0:" + serverPort
                            + ": Address already in use (another DHCP server runs on this computer)",
                    e.getMessage());
        } finally {
            defaults.stop();
        }
    }

    private void startService(IoBackend backend) throws IOException {
        service = newService(backend);
        service.start();
    }

    private DhcpResponderService newService(IoBackend backend) {
        return newService(backend, LanAddressLookup.systemAdapters());
    }

    private DhcpResponderService newService(IoBackend backend, LanAddressLookup lan) {
        assumeTrue(
                backend != IoBackend.EPOLL || IoBackend.epollProblem().isEmpty(),
                () -> "epoll skipped: " + IoBackend.epollProblem().orElse(""));
        DhcpResponderService created = new DhcpResponderService(
                config::get,
                lan,
                MacAllowList.ANY,
                new ReplyPorts(serverPort, phone.getLocalPort()),
                backend,
                Clock.systemUTC());
        assertEquals(backend, created.backend());
        return created;
    }

    /** The golden Polycom INFORM, from 127.0.0.1 and with its own transaction id. */
    private static byte[] inform(int xid) {
        return inform(xid, "127.0.0.1");
    }

    /** The golden Polycom INFORM with its own transaction id and client address. */
    private static byte[] inform(int xid, String ciaddr) {
        byte[] packet = GoldenPackets.bytes(GoldenPackets.INFORM);
        System.arraycopy(Ipv4.toBytes(xid), 0, packet, 4, 4);
        System.arraycopy(Ipv4.toBytes(Ipv4.parse(ciaddr)), 0, packet, 12, 4);
        return packet;
    }

    private void send(byte[] datagram) throws IOException {
        phone.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress("127.0.0.1", serverPort)));
    }

    /** Until the responder has seen {@code count} INFORMs, at most 5 s. */
    private void awaitInforms(long count) throws InterruptedException {
        for (int i = 0; i < 500 && service.stats().informsSeen() < count; i++) {
            Thread.sleep(10);
        }
    }

    /** Sends the INFORM again every second until answered, as a phone does (a flood may fill the buffer). */
    private DatagramPacket askLikeAPhone(byte[] inform) throws IOException {
        phone.setSoTimeout(1000);
        for (int attempt = 1; ; attempt++) {
            send(inform);
            try {
                return receive();
            } catch (java.net.SocketTimeoutException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private DatagramPacket receive() throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        phone.receive(packet);
        return packet;
    }

    private static DhcpMessage decode(DatagramPacket packet) throws MalformedDhcpException {
        return DhcpDecoder.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    /** A plain socket on the wildcard without SO_REUSEADDR: it can bind only a port nobody holds. */
    private static DatagramSocket bindAllInterfaces(int port) throws IOException {
        return new DatagramSocket(new InetSocketAddress(port));
    }

    private static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(0))) {
            return probe.getLocalPort();
        }
    }
}
