package org.sipbridge.sip.auth;

import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.Station;

/**
 * Answers a PBX's digest challenge (401/407) with the credentials of a configured station, as the
 * reference product's Authentication page does: the phone then needs no password of its own.
 */
public final class StationAuthenticator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HeaderFactory headers;
    private final Supplier<List<Station>> stations;

    public StationAuthenticator(HeaderFactory headers, Supplier<List<Station>> stations) {
        this.headers = headers;
        this.stations = stations;
    }

    /** The station whose user name is {@code user}, if IT configured one. */
    public Optional<Station> stationFor(String user) {
        return stations.get().stream().filter(s -> s.userName().equals(user)).findFirst();
    }

    /**
     * The challenged request {@code sent} again, answering {@code challenge} with the station's
     * credentials: a new top Via ({@code via}, the bridge's own hop) and the CSeq {@code nextCseq}
     * makes of the old one, the same Call-ID, From tag and To (the same request again, RFC 3261
     * §22.2, §8.1.3.5). Empty when the challenge cannot be answered. Calls and registrations both
     * retry this way.
     */
    public Optional<Request> retry(
            Request sent, ViaHeader via, LongUnaryOperator nextCseq, Response challenge, Station station)
            throws ParseException, InvalidArgumentException {
        Request retry = (Request) sent.clone();
        retry.removeHeader(ViaHeader.NAME);
        retry.addHeader(via);
        CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(nextCseq.applyAsLong(cseq.getSeqNumber()));
        return authorize(retry, challenge, station) ? Optional.of(retry) : Optional.empty();
    }

    /**
     * Adds Authorization (for 401) or Proxy-Authorization (for 407) answering the challenge in
     * {@code challenge} to {@code request}. Returns false when the challenge cannot be answered
     * (unsupported algorithm, qop=auth-int only).
     */
    private boolean authorize(Request request, Response challenge, Station station) throws ParseException {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        WWWAuthenticateHeader header = (WWWAuthenticateHeader)
                challenge.getHeader(proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        if (header == null
                || !"Digest".equalsIgnoreCase(header.getScheme())
                || !DigestResponse.supports(header.getAlgorithm())) {
            return false;
        }
        String qop = chooseQop(header.getQop());
        if (header.getQop() != null && qop == null) {
            return false;
        }
        String uri = request.getRequestURI().toString();
        String nc = "00000001";
        String cnonce = HexFormat.of().formatHex(randomBytes());
        String response = DigestResponse.compute(
                header.getAlgorithm(),
                station.userName(),
                header.getRealm(),
                station.password(),
                request.getMethod(),
                uri,
                header.getNonce(),
                qop,
                nc,
                cnonce);
        AuthorizationHeader authorization =
                proxy ? headers.createProxyAuthorizationHeader("Digest") : headers.createAuthorizationHeader("Digest");
        authorization.setUsername(station.userName());
        authorization.setRealm(header.getRealm());
        authorization.setNonce(header.getNonce());
        authorization.setURI(request.getRequestURI());
        authorization.setResponse(response);
        if (header.getAlgorithm() != null) {
            authorization.setAlgorithm(header.getAlgorithm());
        }
        if (header.getOpaque() != null) {
            authorization.setOpaque(header.getOpaque());
        }
        if (qop != null) {
            authorization.setQop(qop);
            authorization.setNonceCount(1);
            authorization.setCNonce(cnonce);
        }
        request.removeHeader(authorization.getName());
        request.addHeader(authorization);
        return true;
    }

    /** "auth" when offered (alone or among others); null when only auth-int is offered or no qop. */
    static String chooseQop(String offered) {
        if (offered == null) {
            return null;
        }
        for (String option : offered.split(",")) {
            if (option.trim().toLowerCase(Locale.ROOT).equals("auth")) {
                return "auth";
            }
        }
        return null;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
