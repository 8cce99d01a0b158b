package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * #16: one bridge for a whole office's worth of phones. {@value #SIPP_PHONES} SIPp phones, each on an
 * address of its own on the LAN segment (198.18.1.101-120, added to the phone namespace), register
 * their own accounts (1001-1020) through the bridge at Kamailio at the same moment, as after a power
 * cut; several call the PBX's callee, the PBX calls several, and phones call each other's extension
 * (through the bridge to Kamailio and back). Two baresip phones (1021, 1022, on further addresses)
 * then call each other with a tone each way. At the end the bridge lists every registration, and no
 * call or RTP port pair is left (checked after each test by {@link RealClientLabTest}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManyPhonesLabIT extends RealClientLabTest {

    static final int SIPP_PHONES = 20;
    private static final int FIRST_USER = 1001;
    private static final int SIP_PORT = 5061;

    @BeforeAll
    static void startLabAndPhones() throws Exception {
        startLabAndBridge("mp", "udp");
        for (int phone = 1; phone <= SIPP_PHONES + 2; phone++) {
            LabNetwork.Result added = lab.exec("phone", "ip", "addr", "add", address(phone) + "/24", "dev", "eth0");
            assertEquals(0, added.exitCode(), added.output());
        }
    }

    /** The LAN address of phone {@code n} (1-based). */
    private static String address(int n) {
        return "198.18.1." + (100 + n);
    }

    private static String user(int n) {
        return String.valueOf(FIRST_USER - 1 + n);
    }

    @Test
    @Order(1)
    void twentyPhonesRegisterAtOnceAndCallOutInAndEachOther() throws Exception {
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(SIPP_PHONES);
        try {
            List<Future<LabNetwork.Result>> registrations = new ArrayList<>();
            for (int phone = 1; phone <= SIPP_PHONES; phone++) {
                int n = phone;
                registrations.add(pool.submit(() -> register(n)));
            }
            for (int phone = 1; phone <= SIPP_PHONES; phone++) {
                LabNetwork.Result result = registrations.get(phone - 1).get();
                if (result.exitCode() != 0) {
                    failures.add(user(phone) + ": " + result.output());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double registerSeconds = seconds(start);
        assertEquals(
                List.of(),
                failures,
                "registrations that failed; bridge:\n" + bridge.process().output());
        assertEquals(allUsers(SIPP_PHONES), registeredUsers(), "the bridge's registrations");

        long callsStart = System.nanoTime();
        int calls = 0;
        for (int phone : new int[] {1, 10, 20}) {
            phoneCallsThePbx(phone);
            calls++;
        }
        for (int phone : new int[] {2, 11, 19}) {
            LabCalls.pbxCallsThePhone(lab, dir, bridge, user(phone), address(phone), SIP_PORT);
            calls++;
        }
        for (int[] pair : new int[][] {{3, 4}, {15, 6}, {18, 17}}) {
            phoneCallsPhone(pair[0], pair[1]);
            calls++;
        }
        double callSeconds = seconds(callsStart);

        assertEquals(allUsers(SIPP_PHONES), registeredUsers(), "registrations after the calls");
        assertPbxSeesOnlyTheBridge(SIPP_PHONES);
        System.out.printf(
                "Many phones: %d phones registered at once in %.1f s; %d calls (3 out, 3 in, 3 phone to phone)"
                        + " in %.1f s%n",
                SIPP_PHONES, registerSeconds, calls, callSeconds);
    }

    @Test
    @Order(2)
    void twoPhonesBehindTheBridgeHearEachOther() throws Exception {
        Baresip a = baresip(SIPP_PHONES + 1, PHONE_HZ);
        Baresip b = baresip(SIPP_PHONES + 2, TARGET_HZ);
        long start = System.nanoTime();
        dial(a, "sip:" + user(SIPP_PHONES + 2) + "@sipbridge.lab", b);
        talkAndHangUp(a, b);
        System.out.printf(
                "Many phones: baresip %s called %s through the bridge and the PBX, tone both ways, %.1f s%n",
                user(SIPP_PHONES + 1), user(SIPP_PHONES + 2), seconds(start));

        // The SIPp phones' registrations (300 s) still hold: every phone is listed, and counted in /metrics.
        int phones = SIPP_PHONES + 2;
        assertEquals(allUsers(phones), registeredUsers(), "the bridge's registrations with the two baresip phones");
        assertEquals(phones, DaemonSample.metric(bridge.getText("/metrics"), "sipbridge_registrations"));
        assertPbxSeesOnlyTheBridge(phones);
    }

    private static LabNetwork.Result register(int phone) throws Exception {
        return Sipp.run(
                lab,
                "phone",
                "phone-register.xml",
                address(phone),
                SIP_PORT,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                "-key",
                "domain",
                "sipbridge.lab",
                "-s",
                user(phone),
                "-ap",
                "pass" + user(phone));
    }

    /** Phone {@code n} calls 2000 behind the PBX, streams a tone for a second and hangs up. */
    private void phoneCallsThePbx(int n) throws Exception {
        try (LabProcess callee = LabCalls.callee(lab, dir, "uas-answer.xml", 6000 + 2 * n)) {
            LabNetwork.Result call = phoneCalls(n, "2000");
            assertEquals(
                    0,
                    call.exitCode(),
                    user(n) + " calling 2000: " + call.output() + "\n"
                            + bridge.process().output());
        }
    }

    /** Phone {@code caller} dials phone {@code callee}'s extension; the callee answers on its registered contact. */
    private void phoneCallsPhone(int caller, int callee) throws Exception {
        try (LabProcess answering =
                LabCalls.answeringPhone(lab, dir.resolve("answer-" + user(callee)), address(callee), SIP_PORT, 7200)) {
            LabNetwork.Result call = phoneCalls(caller, user(callee));
            assertEquals(
                    0,
                    call.exitCode(),
                    user(caller) + " calling " + user(callee) + ": " + call.output() + "\n"
                            + bridge.process().output());
            assertEquals(0, answering.stop(java.time.Duration.ofSeconds(10)), answering.output());
        }
    }

    /** Phone {@code n} calls {@code target} from the socket it registered from (lab/sipp/phone-call.xml). */
    private LabNetwork.Result phoneCalls(int n, String target) throws Exception {
        return LabCalls.call(
                lab,
                dir,
                "phone-call.xml",
                address(n),
                SIP_PORT,
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                user(n),
                target,
                7000);
    }

    private Baresip baresip(int n, int toneHz) throws Exception {
        // a SIP port of its own too: baresip's control port is the SIP port + 1000 on the namespace's 127.0.0.1
        Baresip phone = Baresip.start(
                lab,
                "phone",
                dir,
                "baresip-" + user(n),
                address(n) + ":" + (5060 + n),
                10000 + 100 * n,
                Baresip.account(user(n), "pass" + user(n), lab.fact("BRIDGE_LAN_IP") + ":8060", "udp"),
                toneHz,
                false);
        clients.add(phone);
        phone.awaitRegistered();
        return phone;
    }

    /** Users 1001… of the first {@code phones} phones. */
    private static SortedSet<String> allUsers(int phones) {
        TreeSet<String> users = new TreeSet<>();
        for (int n = 1; n <= phones; n++) {
            users.add(user(n));
        }
        return users;
    }

    /**
     * The users the bridge's /api/status lists as registered, each from its own phone's address; fails
     * if a phone's registration names another phone's address.
     */
    private static SortedSet<String> registeredUsers() throws Exception {
        TreeSet<String> users = new TreeSet<>();
        for (JsonNode registration : bridge.status().path("registrations")) {
            String aor = registration.path("aor").asText();
            String user = aor.substring(aor.indexOf(':') + 1, aor.indexOf('@'));
            int n = Integer.parseInt(user) - FIRST_USER + 1;
            assertTrue(registration.path("phoneContact").asText().contains(address(n) + ":"), registration.toString());
            assertTrue(registration.path("expiresInSec").asInt() > 0, registration.toString());
            users.add(user);
        }
        return users;
    }

    /** Kamailio holds a binding of each of the first {@code phones} users, all at the bridge's VPN address. */
    private static void assertPbxSeesOnlyTheBridge(int phones) throws Exception {
        List<String> locations = pbx.locations();
        for (String user : allUsers(phones)) {
            assertTrue(
                    locations.stream()
                            .anyMatch(l -> l.startsWith(user + " ")
                                    && l.contains("@" + lab.fact("BRIDGE_VPN_IP") + ":8060;sbid=")),
                    user + " at the PBX: " + locations);
        }
        assertTrue(
                locations.stream().noneMatch(l -> l.contains("198.18.")),
                "a LAN address reached the PBX: " + locations);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
