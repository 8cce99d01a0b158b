package org.sipbridge.provisioning.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamUrlTest {

    @ParameterizedTest
    @CsvSource({
        "https://prov.corp/polycom/,   true,  prov.corp, 443,  /polycom, prov.corp",
        "https://prov.corp/polycom,    true,  prov.corp, 443,  /polycom, prov.corp",
        "http://prov.corp,             false, prov.corp, 80,   '',       prov.corp",
        "http://prov.corp/,            false, prov.corp, 80,   '',       prov.corp",
        "HTTP://10.1.2.3:8080/a/b//,   false, 10.1.2.3,  8080, /a/b,     10.1.2.3:8080",
        "https://[fd00::5]:8443/p/,    true,  [fd00::5], 8443, /p,       [fd00::5]:8443",
    })
    void parsesWhatTheProxyNeeds(
            String text, boolean secure, String host, int port, String basePath, String hostHeader) {
        UpstreamUrl url = UpstreamUrl.parse(text);

        assertEquals(secure, url.secure());
        assertEquals(host, url.host());
        assertEquals(port, url.port());
        assertEquals(basePath, url.basePath());
        assertEquals(hostHeader, url.hostHeader());
    }

    @Test
    void connectsToSchemeHostAndPortOnly() {
        assertEquals(
                URI.create("https://prov.corp:443"),
                UpstreamUrl.parse("https://prov.corp/polycom/").connectUri());
        assertEquals(
                URI.create("http://[fd00::5]:80"),
                UpstreamUrl.parse("http://[fd00::5]/").connectUri());
    }

    @Test
    void knowsWhenNoNameLookupIsNeeded() {
        assertTrue(UpstreamUrl.parse("http://10.1.2.3/").hostIsLiteral());
        assertTrue(UpstreamUrl.parse("http://[fd00::5]/").hostIsLiteral());
        assertFalse(UpstreamUrl.parse("http://prov.corp/").hostIsLiteral());
        assertEquals("fd00::5", UpstreamUrl.parse("http://[fd00::5]/").unbracketedHost());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://prov.corp/",
                "prov.corp/polycom",
                "https:///x",
                "https://prov.corp/?a=1",
                "https://user:pw@prov.corp/",
                "https://prov.corp/#x",
                "http://bad host/"
            })
    void refusesWhatCannotBeAnUpstream(String text) {
        assertThrows(IllegalArgumentException.class, () -> UpstreamUrl.parse(text));
    }
}
