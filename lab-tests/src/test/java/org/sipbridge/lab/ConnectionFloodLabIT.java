package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "connections are bounded per source": a second device on the home LAN (ten addresses
 * in the phone's subnet) holds 150 idle TCP connections to the bridge's SIP port 8060; the phone
 * (SIPp over TCP) must still register through the bridge with the real Kamailio. Before the
 * connection limits, jain-sip accepted 64 and then no connection at all, so the phone's REGISTER
 * never got an answer.
 */
class ConnectionFloodLabIT {

    private static final int FLOOD = 150;
    private static final int ATTACKER_ADDRESSES = 10;

    /** Opens the connections round-robin from the attacker's addresses, says so, then holds them. */
    private static final String FLOOD_SCRIPT = """
            import socket, sys, time
            target, sources, count = sys.argv[1], sys.argv[2].split(','), int(sys.argv[3])
            held = []
            for i in range(count):
                s = socket.socket()
                s.settimeout(1)
                s.bind((sources[i % len(sources)], 0))
                try:
                    s.connect((target, 8060))
                    held.append(s)
                except OSError:
                    s.close()
            print('flooding with %d connections' % len(held), flush=True)
            time.sleep(120)
            """;

    private static LabNetwork lab;
    private static Kamailio pbx;

    @TempDir
    static Path dir;

    private BridgeDaemon daemon;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabNetwork.up("cf" + ProcessHandle.current().pid() % 100000);
        pbx = Kamailio.start(lab, dir.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (pbx != null) {
            pbx.close();
        }
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.remainingNamespaces());
        }
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void idleTcpConnectionsFromAnotherLanDeviceLeaveThePhoneAbleToRegisterOverTcp() throws Exception {
        daemon = BridgeDaemon.start(lab, dir.resolve("flood"), """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0"}}
                """.formatted(lab.fact("PBX_IP")));
        awaitServerUp();
        assertEquals(0, phoneRegisters(5065).exitCode(), "the phone registers over TCP before the flood");

        StringBuilder sources = new StringBuilder();
        for (int i = 0; i < ATTACKER_ADDRESSES; i++) {
            String address = "198.18.1." + (100 + i);
            assertEquals(
                    0,
                    lab.exec("phone", "ip", "addr", "add", address + "/24", "dev", "eth0")
                            .exitCode());
            sources.append(i == 0 ? "" : ",").append(address);
        }
        try (LabProcess flood = lab.start(
                "phone",
                dir.resolve("attacker"),
                Map.of(),
                "python3",
                "-c",
                FLOOD_SCRIPT,
                lab.fact("BRIDGE_LAN_IP"),
                sources.toString(),
                String.valueOf(FLOOD))) {
            flood.awaitOutput("flooding with", Duration.ofSeconds(200));
            System.out.println("attacker: " + flood.output().strip());

            LabNetwork.Result during = phoneRegisters(5066);
            assertEquals(
                    0,
                    during.exitCode(),
                    "the phone registers over a new TCP connection during the flood:\n" + during.output() + "\n"
                            + daemon.process().output());
        }
    }

    private LabNetwork.Result phoneRegisters(int port) throws Exception {
        return Sipp.run(
                lab,
                "phone",
                "phone-register.xml",
                lab.fact("PHONE_IP"),
                port,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                "1001",
                "-ap",
                "pass1001",
                "-t",
                "t1");
    }

    private void awaitServerUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!"UP"
                .equals(daemon.status().path("servers").path(0).path("state").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the PBX never answered OPTIONS: " + daemon.status() + "\n"
                        + daemon.process().output());
            }
            Thread.sleep(200);
        }
    }
}
