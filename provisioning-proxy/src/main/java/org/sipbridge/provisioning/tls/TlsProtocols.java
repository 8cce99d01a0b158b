package org.sipbridge.provisioning.tls;

import org.xnio.Sequence;

/** The TLS versions both sides of the proxy speak: 1.2 (every Polycom UC Software 5+) and 1.3. */
public final class TlsProtocols {

    public static final Sequence<String> ENABLED = Sequence.of("TLSv1.2", "TLSv1.3");

    private TlsProtocols() {
    }
}
