package org.sipbridge.provisioning.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever is not a master passes unchanged: random bytes, random text around the word CONFIG_FILES,
 * and well-formed XML whose root is not a master's.
 */
class MasterConfigInjectionPropertyTest {

    @Property(tries = 2000)
    void randomBytesAreNeverEdited(@ForAll byte[] body) {
        assertUnchanged(body);
    }

    @Property(tries = 2000)
    void textMentioningConfigFilesIsNeverEditedUnlessItIsAMaster(@ForAll("textAroundTheMarker") String text) {
        assertUnchanged(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void xmlWithAnotherRootIsNeverEdited(@ForAll("nonMasterXml") String xml) {
        assertUnchanged(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertUnchanged(byte[] body) {
        byte[] copy = body.clone();
        MasterConfigInjection.Result result = MasterConfigInjection.inject(body, BridgeServedConfig.ENTRY);
        assertFalse(
                result instanceof MasterConfigInjection.Injected,
                () -> "edited: " + new String(body, StandardCharsets.UTF_8));
        assertArrayEquals(copy, body, "the input is never modified in place");
    }

    @Provide
    Arbitrary<String> textAroundTheMarker() {
        Arbitrary<String> noise =
                Arbitraries.strings().withChars("<>\"'=/ ?!-[]APLICONFG_xyz\n").ofMaxLength(40);
        return Combinators.combine(noise, noise)
                .as((a, b) -> a + "CONFIG_FILES" + b)
                .filter(s -> !s.contains("<APPLICATION"));
    }

    @Provide
    Arbitrary<String> nonMasterXml() {
        Arbitrary<String> root =
                Arbitraries.of("polycomConfig", "APPLICATIONS", "application", "reg", "APPLICATION_VVX400");
        Arbitrary<String> value =
                Arbitraries.strings().alpha().numeric().withChars(".,-[] ").ofMaxLength(30);
        Arbitrary<String> attribute =
                Arbitraries.of("CONFIG_FILES", "CONFIG_FILES_VVX400", "reg.1.address", "APP_FILE_PATH");
        return Combinators.combine(root, attribute, value, attribute, value)
                .as((r, a1, v1, a2, v2) -> "<?xml version=\"1.0\"?>\n<" + r + " " + a1 + "=\"" + v1 + "\""
                        + (a1.equals(a2) ? "" : " " + a2 + "=\"" + v2 + "\"") + "><x " + "CONFIG_FILES=\"" + v2
                        + "\"/></" + r + ">\n");
    }
}
