package org.sipbridge.sip.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CallIdMapTest {

    private static final byte[] SECRET = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void isSha256OfTheSecretAndThePhonesCallIdCutTo96Bits() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(SECRET);
        String expected = "sb"
                + HexFormat.of()
                        .formatHex(sha.digest("a84b4c76e66710@192.168.1.20".getBytes(StandardCharsets.UTF_8)), 0, 12)
                + "@sipbridge";

        assertEquals(expected, new CallIdMap(SECRET).pbxCallId("a84b4c76e66710@192.168.1.20"));
    }

    @Test
    void sameCallIdSameAnswerEveryTime() {
        CallIdMap map = new CallIdMap(SECRET);
        String first = map.pbxCallId("abc@10.0.0.2");
        map.pbxCallId("something else");

        assertEquals(first, map.pbxCallId("abc@10.0.0.2"));
    }

    @Test
    void anotherSecretGivesAnotherCallId() {
        assertNotEquals(
                new CallIdMap(SECRET).pbxCallId("abc@10.0.0.2"),
                new CallIdMap("fedcba9876543210".getBytes(StandardCharsets.US_ASCII)).pbxCallId("abc@10.0.0.2"));
    }

    @Test
    void theSecretIsCopiedSoTheCallerCannotChangeItLater() {
        byte[] secret = SECRET.clone();
        CallIdMap map = new CallIdMap(secret);
        String before = map.pbxCallId("abc@10.0.0.2");
        secret[0] ^= 1;

        assertEquals(before, map.pbxCallId("abc@10.0.0.2"));
    }
}
