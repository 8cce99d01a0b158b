package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing listens wider than it must (#19): the bridge listens for SIP over TLS on the LAN side while
 * {@code protocols.tls.enabled}, and on the VPN side only while the PBX is reached over TLS
 * ({@code bridge.serverTransport}, a live setting): a TLS listener the PBX never uses is a port any VPN
 * host can reach, and a thread.
 */
class TlsListenersLabIT extends PbxLabTest {

    private static final int TLS_PORT = 8061;

    @BeforeAll
    static void startLab() throws Exception {
        startLab("tl");
    }

    @Test
    void theVpnSideListensForTlsOnlyWhileThePbxIsReachedOverTls() throws Exception {
        startBridge("tls-listeners", "[]");
        String lan = lab.fact("BRIDGE_LAN_IP") + ":" + TLS_PORT;
        String vpn = lab.fact("BRIDGE_VPN_IP") + ":" + TLS_PORT;
        assertEquals(Set.of(lan), tlsListeners(), "PBX over UDP: TLS on the LAN side only");

        daemon.send("PUT", "/api/config", "{\"bridge\": {\"serverTransport\": \"tls\"}}");
        awaitTlsListeners(Set.of(lan, vpn));

        daemon.send("PUT", "/api/config", "{\"bridge\": {\"serverTransport\": \"udp\"}}");
        awaitTlsListeners(Set.of(lan));
    }

    private void awaitTlsListeners(Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!expected.equals(tlsListeners()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(expected, tlsListeners(), daemon.process().output());
    }

    /** The local addresses of the bridge's listening TCP sockets on the TLS port. */
    private static Set<String> tlsListeners() throws Exception {
        String listening = lab.exec("bridge", "bash", "-c", "ss -Hltn 'sport = :" + TLS_PORT + "'")
                .output();
        return listening
                .lines()
                .map(line -> Arrays.asList(line.trim().split("\\s+")))
                .filter(columns -> columns.size() >= 4)
                .map(columns -> columns.get(3))
                .collect(Collectors.toSet());
    }
}
