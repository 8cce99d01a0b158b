package org.sipbridge.provisioning.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.sipbridge.contract.Failures;

/**
 * Accepts an upstream chain that the JDK's trust store or the pinned certificates validate, with the
 * JDK's own checks in both cases (chain, dates, algorithms, and the host name, which Undertow's
 * client asks for). Anything else is refused and recorded, with whether pinning would fix it.
 */
final class UpstreamTrustManager extends X509ExtendedTrustManager {

    /** One way of running a JDK check (with the engine or socket, so the host name is verified). */
    @FunctionalInterface
    private interface Check {
        void with(X509ExtendedTrustManager manager) throws CertificateException;
    }

    private final UpstreamTrust trust;

    UpstreamTrustManager(UpstreamTrust trust) {
        this.trust = trust;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(
                chain,
                engine.getPeerHost() + ":" + engine.getPeerPort(),
                manager -> manager.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String peer = socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
                ? ssl.getHandshakeSession().getPeerHost() + ":"
                        + ssl.getHandshakeSession().getPeerPort()
                : String.valueOf(socket.getRemoteSocketAddress());
        verify(chain, peer, manager -> manager.checkServerTrusted(chain, authType, socket));
    }

    /** Without an engine or socket the host name cannot be checked, so nothing is accepted this way. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("upstream certificates are only checked with their host name");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the proxy does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the proxy does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the proxy does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> issuers =
                new ArrayList<>(Arrays.asList(trust.jdkDefault().getAcceptedIssuers()));
        issuers.addAll(
                trust.pinnedManager() == null
                        ? List.of()
                        : Arrays.asList(trust.pinnedManager().getAcceptedIssuers()));
        return issuers.toArray(new X509Certificate[0]);
    }

    private void verify(X509Certificate[] chain, String peer, Check check) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the provisioning server sent no certificate");
        }
        CertificateException byDefault;
        try {
            check.with(trust.jdkDefault());
            trust.accepted();
            return;
        } catch (CertificateException e) {
            byDefault = e;
        }
        X509ExtendedTrustManager pinned = trust.pinnedManager();
        if (pinned != null) {
            try {
                check.with(pinned);
                // A pinned leaf is its own trust anchor, and the JDK does not check an anchor's dates.
                chain[0].checkValidity();
                trust.accepted();
                return;
            } catch (CertificateException e) {
                // refused below, with the reason that pinning cannot or could fix
            }
        }
        String blocker = whatPinningCannotFix(chain, check);
        String problem = blocker != null ? blocker : plainWords(byDefault);
        trust.refused(peer, chain.clone(), problem, blocker == null);
        throw new CertificateException(trust.peerName() + " " + peer + " not trusted: " + problem, byDefault);
    }

    /** Runs the JDK checks with the presented leaf as the only anchor: what still fails, pinning cannot fix. */
    private static String whatPinningCannotFix(X509Certificate[] chain, Check check) {
        try {
            check.with(TrustAnchors.of(List.of(chain[0])));
            chain[0].checkValidity();
            return null;
        } catch (CertificateException e) {
            return Failures.rootMessage(e);
        } catch (GeneralSecurityException e) {
            return "cannot evaluate the certificate: " + e.getMessage();
        }
    }

    private static String plainWords(CertificateException e) {
        String message = Failures.rootMessage(e);
        if (message.contains("unable to find valid certification path") || message.contains("PKIX path")) {
            return "the certificate is not issued by an authority this computer trusts, and it is not pinned";
        }
        return message;
    }
}
