package org.sipbridge.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The digest response of RFC 2617 / RFC 7616 (MD5, SHA-256 and their -sess forms, qop auth or none). */
public final class DigestResponse {

    private DigestResponse() {}

    /** True for the algorithms {@link #compute} supports; a missing algorithm means MD5. */
    public static boolean supports(String algorithm) {
        String a = algorithm == null ? "MD5" : algorithm.toUpperCase(Locale.ROOT);
        return a.equals("MD5") || a.equals("MD5-SESS") || a.equals("SHA-256") || a.equals("SHA-256-SESS");
    }

    /**
     * @param qop "auth", or null for the RFC 2069 form without nonce count and cnonce
     */
    public static String compute(
            String algorithm,
            String username,
            String realm,
            String password,
            String method,
            String uri,
            String nonce,
            String qop,
            String nc,
            String cnonce) {
        String a = algorithm == null ? "MD5" : algorithm.toUpperCase(Locale.ROOT);
        String hash = a.startsWith("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = hex(hash, username + ":" + realm + ":" + password);
        if (a.endsWith("-SESS")) {
            ha1 = hex(hash, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = hex(hash, method + ":" + uri);
        return qop == null
                ? hex(hash, ha1 + ":" + nonce + ":" + ha2)
                : hex(hash, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java", e);
        }
    }
}
