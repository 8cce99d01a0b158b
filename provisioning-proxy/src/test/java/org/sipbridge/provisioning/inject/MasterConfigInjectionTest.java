package org.sipbridge.provisioning.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden files: a master in, the master with the bridge's file first in every list out, nothing else changed. */
class MasterConfigInjectionTest {

    private static final String ENTRY = BridgeServedConfig.ENTRY;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = MasterConfigInjectionTest.class.getResourceAsStream("/inject/" + name)) {
            if (in == null) {
                throw new IOException("no test resource /inject/" + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void siteMasterGetsTheEntryFirstInCONFIG_FILESAndEveryNonEmptyModelList() throws IOException {
        MasterConfigInjection.Result result = MasterConfigInjection.inject(resource("site-master.cfg"), ENTRY);

        MasterConfigInjection.Injected injected = assertInstanceOf(MasterConfigInjection.Injected.class, result);
        assertArrayEquals(
                resource("site-master.expected.cfg"),
                injected.body(),
                () -> new String(injected.body(), StandardCharsets.UTF_8));
        assertEquals(
                List.of("CONFIG_FILES", "CONFIG_FILES_SPIP650", "CONFIG_FILES_VVX400", "CONFIG_FILES_VVX600"),
                injected.attributes(),
                "the empty CONFIG_FILES_SPIP320 stays empty (the phone falls back to CONFIG_FILES)");
    }

    @Test
    void polycomsDefaultMasterWithEmptyListsAndUtf8AndCrLfKeepsEveryOtherByte() throws IOException {
        byte[] original = resource("default-master.cfg");

        MasterConfigInjection.Injected injected =
                assertInstanceOf(MasterConfigInjection.Injected.class, MasterConfigInjection.inject(original, ENTRY));

        assertArrayEquals(resource("default-master.expected.cfg"), injected.body());
        assertArrayEquals(original, withoutEntry(injected.body()), "only the entry was added");
    }

    @Test
    void theGoldenOutputsDifferFromTheirInputsOnlyByTheEntry() throws IOException {
        for (String name : List.of("site-master", "default-master")) {
            assertArrayEquals(resource(name + ".cfg"), withoutEntry(resource(name + ".expected.cfg")), name);
        }
    }

    @Test
    void aMasterThatListsTheEntryFirstAlreadyIsLeftAsItIs() throws IOException {
        assertInstanceOf(
                MasterConfigInjection.Unchanged.class,
                MasterConfigInjection.inject(resource("site-master.expected.cfg"), ENTRY));
    }

    @Test
    void aMalformedMasterIsReportedAndNotEdited() throws IOException {
        MasterConfigInjection.Malformed malformed = assertInstanceOf(
                MasterConfigInjection.Malformed.class,
                MasterConfigInjection.inject(resource("malformed-master.cfg"), ENTRY));

        assertTrue(malformed.reason().startsWith("not well-formed XML: line "), malformed.reason());
    }

    @Test
    void aConfigurationFileThatIsNotAMasterIsNotEdited() throws IOException {
        assertInstanceOf(
                MasterConfigInjection.NotMaster.class, MasterConfigInjection.inject(resource("site.cfg"), ENTRY));
        assertInstanceOf(
                MasterConfigInjection.NotMaster.class,
                MasterConfigInjection.inject(
                        "<APPLICATION APP_FILE_PATH=\"sip.ld\"><X CONFIG_FILES_VVX400=\"a.cfg\"/></APPLICATION>"
                                .getBytes(StandardCharsets.US_ASCII),
                        ENTRY),
                "a root without CONFIG_FILES is not a master");
        assertInstanceOf(
                MasterConfigInjection.NotMaster.class,
                MasterConfigInjection.inject(
                        "<OTHER CONFIG_FILES=\"a.cfg\"/>".getBytes(StandardCharsets.US_ASCII), ENTRY));
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverExpanded() {
        byte[] withEntity = ("<?xml version=\"1.0\"?><!DOCTYPE APPLICATION [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<APPLICATION CONFIG_FILES=\"&x;\"/>")
                .getBytes(StandardCharsets.US_ASCII);

        assertInstanceOf(MasterConfigInjection.Malformed.class, MasterConfigInjection.inject(withEntity, ENTRY));
    }

    @Test
    void utf16MastersAreNotEdited() {
        byte[] utf16 = "\uFEFF<APPLICATION CONFIG_FILES=\"a.cfg\"/>".getBytes(StandardCharsets.UTF_16BE);

        assertInstanceOf(MasterConfigInjection.Malformed.class, MasterConfigInjection.inject(utf16, ENTRY));
    }

    static byte[] withoutEntry(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.replace(ENTRY + ", ", "").replace(ENTRY, "").getBytes(StandardCharsets.ISO_8859_1);
    }
}
