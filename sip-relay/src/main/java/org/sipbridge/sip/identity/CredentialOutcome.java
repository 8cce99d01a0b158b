package org.sipbridge.sip.identity;

import java.util.Locale;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** What the PBX's final answer to a request that carried the phone's own digest credentials says of them. */
public enum CredentialOutcome {
    /** The request carried no credentials, or the answer says nothing about them. */
    NONE,
    /** The credentials were accepted (2xx). */
    ACCEPTED,
    /** The credentials were refused: a new challenge that is not merely stale, or 403. */
    REFUSED;

    /** The outcome of {@code response} to {@code request} (the phone's request as it reached the bridge). */
    public static CredentialOutcome of(Request request, Response response) {
        if (!carriesCredentials(request)) {
            return NONE;
        }
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            return ACCEPTED;
        }
        if (status == Response.FORBIDDEN) {
            return REFUSED;
        }
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            // RFC 3261 §22.4 / RFC 2617: stale=true means the nonce expired, not that the password was wrong.
            return isStale(response) ? NONE : REFUSED;
        }
        return NONE;
    }

    public static boolean carriesCredentials(Request request) {
        return request.getHeader("Authorization") != null || request.getHeader("Proxy-Authorization") != null;
    }

    private static boolean isStale(Response response) {
        for (String name : new String[] {WWWAuthenticateHeader.NAME, ProxyAuthenticateHeader.NAME}) {
            for (var it = response.getHeaders(name); it.hasNext(); ) {
                if (it.next() instanceof WWWAuthenticateHeader challenge
                        && challenge.getParameter("stale") != null
                        && challenge
                                .getParameter("stale")
                                .toLowerCase(Locale.ROOT)
                                .equals("true")) {
                    return true;
                }
            }
        }
        return false;
    }
}
