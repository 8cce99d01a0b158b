package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Zero-touch (#16): a factory-default Polycom VVX 400, simulated step by step in the phone namespace,
 * learns from the bridge alone where to send SIP. DHCPINFORM → option 160 URL → {@code <MAC>.cfg} (404)
 * → {@code 000000000000.cfg} from nginx (the office server; an unmodified Polycom file set whose
 * site.cfg names the office SBC as outbound proxy) → every file of its model's CONFIG_FILES in order,
 * first value of a parameter wins → it registers with Kamailio through the outbound proxy it learned,
 * and calls out and is called. Over HTTP 8088 and, with bridge.provisioningOverHttps, HTTPS 8089; and
 * again after the bridge's LAN address changed: the status then names the phone that must provision
 * again, and once it has (a reboot), it learns the new address and calls through it.
 */
class ZeroTouchLabIT {

    private static final String MAC = "0004f2abcdef";
    private static final String MODEL = "VVX400";
    /** The office SBC that site.cfg names: unreachable from a home LAN, and never what the phone uses. */
    private static final String OFFICE_SBC = "198.19.250.1";

    private static LabNetwork lab;
    private static Nginx upstream;
    private static Path docroot;

    @TempDir
    static Path dir;

    private BridgeDaemon daemon;
    private Kamailio pbx;

    @BeforeAll
    static void startLab() throws Exception {
        lab = LabNetwork.up("zt" + ProcessHandle.current().pid() % 100000);
        docroot = Files.createDirectories(dir.resolve("docroot"));
        Files.writeString(docroot.resolve("000000000000.cfg"), """
                <?xml version="1.0" standalone="yes"?>
                <!-- Default Master SIP Configuration File, as the office provisioning server has it -->
                <APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="[PHONE_MAC_ADDRESS]-phone.cfg, site.cfg" MISC_FILES=""
                    LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY=""
                    USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY="">
                  <APPLICATION_SPIP320 APP_FILE_PATH_SPIP320="sip_335.ld" CONFIG_FILES_SPIP320=""/>
                  <APPLICATION_VVX400 APP_FILE_PATH_VVX400="sip_59x.ld" CONFIG_FILES_VVX400="[PHONE_MAC_ADDRESS]-phone.cfg, [PHONE_MODEL]-site.cfg, site.cfg"/>
                  <APPLICATION_VVX600 APP_FILE_PATH_VVX600="sip_59x.ld" CONFIG_FILES_VVX600="[PHONE_MAC_ADDRESS]-phone.cfg, site.cfg"/>
                </APPLICATION>
                """);
        Files.writeString(docroot.resolve(MAC + "-phone.cfg"), """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <polycomConfig>
                  <reg reg.1.address="1001" reg.1.auth.userId="1001" reg.1.auth.password="pass1001" reg.1.label="1001"
                       reg.1.server.1.address="sipbridge.lab"/>
                </polycomConfig>
                """);
        Files.writeString(docroot.resolve(MODEL + "-site.cfg"), """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <polycomConfig><up up.backlight.idleIntensity="1"/></polycomConfig>
                """);
        Files.writeString(docroot.resolve("site.cfg"), """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <polycomConfig>
                  <voIpProt.SIP.outboundProxy voIpProt.SIP.outboundProxy.address="%1$s" voIpProt.SIP.outboundProxy.port="5060"
                      voIpProt.SIP.outboundProxy.transport="UDPOnly"/>
                  <reg reg.1.outboundProxy.address="%1$s" reg.1.outboundProxy.port="5060" reg.1.outboundProxy.transport="TCPOnly"
                       reg.1.server.1.port="5060"/>
                  <tcpIpApp tcpIpApp.sntp.address="pool.ntp.org"/>
                </polycomConfig>
                """.formatted(OFFICE_SBC));
        Path nginxDir = dir.resolve("nginx");
        Nginx.selfSignedCertificate(nginxDir, "/CN=provisioning.lab", lab.fact("PBX_IP"));
        upstream = Nginx.start(lab, nginxDir, docroot, lab.fact("PBX_IP"));
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void stopBridge() throws Exception {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
        if (pbx != null) {
            pbx.close();
            pbx = null;
        }
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void aFactoryDefaultPolycomLearnsTheBridgeAsOutboundProxyRegistersAndCallsOut(boolean https) throws Exception {
        Path work = startBridge("bridge-" + https, https);
        SimulatedPolycom phone = bootsFromTheBridge(work, https, lab.fact("BRIDGE_LAN_IP"));
        registersAndCallsOutAndIn(work, phone);

        JsonNode phoneConfig = daemon.get("/api/provisioning").path("phoneConfig");
        assertTrue(phoneConfig.path("enabled").asBoolean(), phoneConfig.toString());
        assertEquals(
                lab.fact("BRIDGE_LAN_IP") + ":8060",
                phoneConfig.path("outboundProxy").asText());
        assertEquals(MAC, phoneConfig.path("phones").path(0).path("mac").asText(), phoneConfig.toString());
        assertEquals(0, phoneConfig.path("mustProvision").size());
    }

    /**
     * The home router gives the bridge computer another address. The adapter watcher restarts the
     * listeners on it; the status names the phone that was told the old one; the phone reboots
     * (provisions again, from the DHCPINFORM on) and learns the new address from the bridge's file,
     * registers through it and calls both ways.
     */
    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void afterTheBridgesLanAddressChangesThePhoneLearnsTheNewOneWhenItProvisionsAgain(boolean https) throws Exception {
        Path work = startBridge("moved-" + https, https);
        String oldAddress = lab.fact("BRIDGE_LAN_IP");
        String newAddress = oldAddress.substring(0, oldAddress.lastIndexOf('.') + 1) + "2";
        registersAndCallsOutAndIn(work, bootsFromTheBridge(work, https, oldAddress));
        try {
            long moved = System.nanoTime();
            // delete first: deleting a primary address also deletes the secondaries of its subnet
            assertEquals(
                    0,
                    lab.exec("bridge", "ip", "addr", "del", oldAddress + "/24", "dev", lab.fact("LAN_IF"))
                            .exitCode());
            assertEquals(
                    0,
                    lab.exec("bridge", "ip", "addr", "add", newAddress + "/24", "dev", lab.fact("LAN_IF"))
                            .exitCode());
            JsonNode phoneConfig = awaitPhoneConfig(
                    c -> c.path("outboundProxy").asText().equals(newAddress + ":8060")
                            && c.path("mustProvision").size() == 1,
                    "the new address, and the phone that must provision again");
            double followSeconds = (System.nanoTime() - moved) / 1e9;
            assertEquals(
                    MAC, phoneConfig.path("mustProvision").path(0).path("mac").asText(), phoneConfig.toString());
            assertEquals(
                    oldAddress,
                    phoneConfig
                            .path("mustProvision")
                            .path(0)
                            .path("bridgeAddress")
                            .asText());
            // a warning, not a reason for Not Ready: the phone may provision again at its next boot
            String warnings = daemon.status().path("warnings").toString();
            assertTrue(
                    warnings.contains("1 phone(s) were given the bridge's old LAN address " + oldAddress
                                    + " as outbound proxy; the bridge is now at " + newAddress + ":8060")
                            && warnings.contains(MAC),
                    warnings);

            long reboot = System.nanoTime();
            registersAndCallsOutAndIn(work, bootsFromTheBridge(work, https, newAddress));
            double rebootSeconds = (System.nanoTime() - reboot) / 1e9;
            awaitPhoneConfig(c -> c.path("mustProvision").size() == 0, "no phone left to provision again");
            assertTrue(
                    daemon.status().path("warnings").toString().indexOf("old LAN address") < 0,
                    daemon.status().toString());
            System.out.printf(
                    "Zero-touch after a LAN address change (https=%s): the status named the phone %.1f s after "
                            + "the change; provisioned again, registered and called out and in %.1f s after its reboot%n",
                    https, followSeconds, rebootSeconds);
        } finally {
            lab.exec("bridge", "ip", "addr", "del", newAddress + "/24", "dev", lab.fact("LAN_IF"));
            lab.exec("bridge", "ip", "addr", "add", oldAddress + "/24", "dev", lab.fact("LAN_IF"));
        }
    }

    /** Kamailio and the bridge (working directory {@code name}), relaying provisioning to nginx. */
    private Path startBridge(String name, boolean https) throws Exception {
        Path work = dir.resolve(name);
        pbx = Kamailio.start(lab, work.resolve("kamailio"), lab.fact("PBX_IP"), 5060);
        daemon = BridgeDaemon.start(lab, work, """
                {"bridge": {"servers": ["%s:5060"], "lanAdapter": "eth0", "vpnAdapter": "tun0",
                            "provisioningUpstream": "%s", "provisioningOverHttps": %s, "sipRegistrationProtocol": "udp"}}
                """.formatted(lab.fact("PBX_IP"), upstream.httpUrl(), https));
        return work;
    }

    /** The phone boots factory-default and provisions; the bridge, at {@code bridgeAddress}, is its outbound proxy. */
    private SimulatedPolycom bootsFromTheBridge(Path work, boolean https, String bridgeAddress) throws Exception {
        SimulatedPolycom phone = new SimulatedPolycom(work.resolve("data/provisioning-https-cert.pem"));
        String url = phone.dhcpInform();
        assertEquals((https ? "https" : "http") + "://" + bridgeAddress + ":" + (https ? 8089 : 8088) + "/", url);
        phone.boot(url);

        assertEquals(
                List.of(
                        MAC + ".cfg 404",
                        "000000000000.cfg 200",
                        "sipbridge-" + MAC + ".cfg 200",
                        MAC + "-phone.cfg 200",
                        MODEL + "-site.cfg 200",
                        "site.cfg 200"),
                phone.fetched,
                "the phone's requests; daemon:\n" + daemon.process().output());
        assertEquals(bridgeAddress, phone.parameter("reg.1.outboundProxy.address"), "first value wins");
        assertEquals("8060", phone.parameter("reg.1.outboundProxy.port"));
        assertEquals("UDPOnly", phone.parameter("reg.1.outboundProxy.transport"));
        assertEquals(bridgeAddress, phone.parameter("voIpProt.SIP.outboundProxy.address"));
        assertEquals("sipbridge.lab", phone.parameter("reg.1.server.1.address"), "the office's files still apply");
        assertEquals("pool.ntp.org", phone.parameter("tcpIpApp.sntp.address"));
        return phone;
    }

    /** The phone registers at the outbound proxy it learned, calls 2000 behind the PBX, and the PBX calls it. */
    private void registersAndCallsOutAndIn(Path work, SimulatedPolycom phone) throws Exception {
        String target =
                phone.parameter("reg.1.outboundProxy.address") + ":" + phone.parameter("reg.1.outboundProxy.port");
        LabNetwork.Result registered = Sipp.run(
                lab,
                "phone",
                "phone-register.xml",
                lab.fact("PHONE_IP"),
                5061,
                target,
                "-t",
                "u1",
                "-key",
                "domain",
                phone.parameter("reg.1.server.1.address"),
                "-s",
                phone.parameter("reg.1.auth.userId"),
                "-ap",
                phone.parameter("reg.1.auth.password"));
        assertEquals(
                0, registered.exitCode(), registered.output() + daemon.process().output());
        LabProcess callee = LabCalls.callee(lab, work, "uas-answer.xml", 6000);
        try {
            LabNetwork.Result call = LabCalls.call(
                    lab,
                    work,
                    "phone-call.xml",
                    lab.fact("PHONE_IP"),
                    5061,
                    target,
                    phone.parameter("reg.1.auth.userId"),
                    "2000",
                    7061,
                    "-t",
                    "u1");
            assertEquals(0, call.exitCode(), call.output() + daemon.process().output());
        } finally {
            callee.close();
        }
        LabCalls.pbxCallsThePhone(lab, work, daemon, phone.parameter("reg.1.auth.userId"), lab.fact("PHONE_IP"), 5061);
    }

    private JsonNode awaitPhoneConfig(Predicate<JsonNode> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode phoneConfig = daemon.get("/api/provisioning").path("phoneConfig");
        while (!wanted.test(phoneConfig)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + what + ": " + phoneConfig + "\n"
                        + daemon.process().output());
            }
            Thread.sleep(250);
            phoneConfig = daemon.get("/api/provisioning").path("phoneConfig");
        }
        return phoneConfig;
    }

    /**
     * What a Polycom with UC Software does when it boots with no configuration, reduced to what
     * matters here: provisioning server from DHCP option 160, the master file by MAC then the default,
     * its model's CONFIG_FILES (or CONFIG_FILES) left to right, and the first value of each parameter.
     */
    private static final class SimulatedPolycom {

        final List<String> fetched = new ArrayList<>();
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final Path bridgeCertificate;
        private final Path files;

        SimulatedPolycom(Path bridgeCertificate) throws Exception {
            this.bridgeCertificate = bridgeCertificate;
            this.files = Files.createDirectories(
                    bridgeCertificate.getParent().getParent().resolve("phone-files"));
        }

        String dhcpInform() throws Exception {
            LabNetwork.Result result = lab.exec(
                    "phone",
                    "/usr/bin/python3",
                    LabNetwork.REPO.resolve("lab/dhcp/client.py").toString(),
                    "inform",
                    "eth0",
                    lab.fact("PHONE_IP"),
                    "00:04:f2:ab:cd:ef",
                    "3");
            String json = result.output()
                    .lines()
                    .filter(l -> l.startsWith("{"))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no DHCP answer: " + result.output()));
            return new ObjectMapper().readTree(json).path("options").path("160").asText();
        }

        void boot(String server) throws Exception {
            byte[] master = get(server, MAC + ".cfg");
            if (master == null) {
                master = get(server, "000000000000.cfg");
            }
            Element application = parse(master);
            assertEquals("APPLICATION", application.getTagName());
            String list = modelList(application);
            for (String entry : list.split(",")) {
                String name = entry.trim().replace("[PHONE_MAC_ADDRESS]", MAC).replace("[PHONE_MODEL]", MODEL);
                if (!name.isEmpty()) {
                    byte[] body = get(server, name);
                    if (body != null) {
                        collect(parse(body));
                    }
                }
            }
        }

        /** CONFIG_FILES_<MODEL> when present and not empty (on the root or its APPLICATION_<MODEL> child), else CONFIG_FILES. */
        private String modelList(Element application) {
            String attribute = "CONFIG_FILES_" + MODEL;
            String value = application.getAttribute(attribute);
            for (Node n = application.getFirstChild(); n != null && value.isBlank(); n = n.getNextSibling()) {
                if (n instanceof Element child && child.getTagName().equals("APPLICATION_" + MODEL)) {
                    value = child.getAttribute(attribute);
                }
            }
            return value.isBlank() ? application.getAttribute("CONFIG_FILES") : value;
        }

        private void collect(Element element) {
            NamedNodeMap attributes = element.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                parameters.putIfAbsent(
                        attributes.item(i).getNodeName(), attributes.item(i).getNodeValue());
            }
            for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element child) {
                    collect(child);
                }
            }
        }

        String parameter(String name) {
            String value = parameters.get(name);
            if (value == null) {
                throw new AssertionError("the phone has no " + name + ": " + parameters);
            }
            return value;
        }

        /** curl in the phone namespace; null on 404. */
        private byte[] get(String server, String name) throws Exception {
            Path out = files.resolve(name);
            List<String> command = new ArrayList<>(
                    List.of("curl", "-sS", "--max-time", "30", "-o", out.toString(), "-w", "%{http_code}"));
            if (server.startsWith("https")) {
                command.addAll(List.of("--cacert", bridgeCertificate.toString()));
            }
            command.add(server + name);
            LabNetwork.Result result = LabNetwork.run(lab.inHost("phone", command), 60);
            String status = result.output().trim();
            fetched.add(name + " " + status);
            if (status.equals("404")) {
                return null;
            }
            assertEquals("200", status, name + ": " + result.output());
            return Files.readAllBytes(out);
        }

        private Element parse(byte[] body) throws Exception {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body))
                    .getDocumentElement();
        }
    }
}
