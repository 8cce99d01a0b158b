package org.sipbridge.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Known answers from the RFCs that define digest authentication. */
class DigestResponseTest {

    @Test
    void rfc2617Md5WithQopAuth() {
        assertEquals(
                "6629fae49393a05397450978507c4ef1",
                DigestResponse.compute(
                        null,
                        "Mufasa",
                        "testrealm@host.com",
                        "Circle Of Life",
                        "GET",
                        "/dir/index.html",
                        "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                        "auth",
                        "00000001",
                        "0a4f113b"));
    }

    @Test
    void rfc7616Sha256AndMd5() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        assertEquals(
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                DigestResponse.compute(
                        "SHA-256",
                        "Mufasa",
                        "http-auth@example.org",
                        "Circle of Life",
                        "GET",
                        "/dir/index.html",
                        nonce,
                        "auth",
                        "00000001",
                        cnonce));
        assertEquals(
                "8ca523f5e9506fed4657c9700eebdbec",
                DigestResponse.compute(
                        "MD5",
                        "Mufasa",
                        "http-auth@example.org",
                        "Circle of Life",
                        "GET",
                        "/dir/index.html",
                        nonce,
                        "auth",
                        "00000001",
                        cnonce));
    }

    @Test
    void rfc2069FormWithoutQop() {
        // RFC 2069's example: response = MD5(HA1:nonce:HA2)
        assertEquals(
                "1949323746fe6a43ef61f9606e7febea",
                DigestResponse.compute(
                        "MD5",
                        "Mufasa",
                        "testrealm@host.com",
                        "CircleOfLife",
                        "GET",
                        "/dir/index.html",
                        "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                        null,
                        null,
                        null));
    }

    @Test
    void algorithmsAndQopChoice() {
        assertTrue(DigestResponse.supports(null));
        assertTrue(DigestResponse.supports("sha-256-sess"));
        assertFalse(DigestResponse.supports("SHA-512-256"));
        assertEquals("auth", StationAuthenticator.chooseQop("auth-int, auth"));
        assertNull(StationAuthenticator.chooseQop("auth-int"));
        assertNull(StationAuthenticator.chooseQop(null));
    }
}
