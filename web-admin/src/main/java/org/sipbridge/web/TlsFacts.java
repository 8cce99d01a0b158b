package org.sipbridge.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.List;
import org.sipbridge.contract.tls.CertificateDetails;

/**
 * {@code GET /api/tls}: what Configuration › Protocols shows about SIP over TLS ({@code pages/config.js}).
 *
 * @param certificate           the certificate SIP over TLS presents; written as {@code {}} when there is none,
 *                              as it always was (the page reads {@code certificate.subject} either way)
 * @param supportedCipherSuites the suites this Java offers that are worth a checkbox
 */
record TlsFacts(
        boolean certificateInstalled,
        @JsonSerialize(nullsUsing = EmptyObject.class) CertificateDetails certificate,
        int trustedAuthorities,
        List<String> supportedCipherSuites) {

    TlsFacts {
        supportedCipherSuites = List.copyOf(supportedCipherSuites);
    }

    static TlsFacts of(SipTls tls, List<String> supportedCipherSuites) {
        return new TlsFacts(
                tls.certificate().isPresent(),
                tls.certificate().orElse(null),
                tls.trustedAuthorities(),
                supportedCipherSuites);
    }

    /** Writes a missing value as an empty object. */
    static final class EmptyObject extends JsonSerializer<Object> {
        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeStartObject();
            generator.writeEndObject();
        }
    }
}
