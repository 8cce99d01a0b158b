package org.sipbridge.daemon.check;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * The provisioning upstream answers (any HTTP status: the server is there) when managed
 * provisioning is on. A problem here is a warning: it stops provisioning, not calls. Its HTTP Date
 * header is kept for the clock check.
 */
final class UpstreamCheck implements Check {

    static final String ID = "provisioning-upstream";
    private static final String TITLE = "Provisioning server";

    private volatile Optional<String> dateHeader = Optional.empty();

    @Override
    public List<CheckResult> run(CheckContext context) throws Exception {
        var bridge = context.config().bridge();
        if (!bridge.managedPhoneProvisioning() || bridge.provisioningUpstream().isBlank()) {
            return List.of(CheckResult.skip(ID, TITLE, "managed phone provisioning is off or has no upstream"));
        }
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(context.timeout()).build();
        try {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(bridge.provisioningUpstream()))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .timeout(context.timeout())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            dateHeader = response.headers().firstValue("Date");
            return List.of(CheckResult.pass(
                    ID, TITLE, bridge.provisioningUpstream() + " answers (HTTP " + response.statusCode() + ")"));
        } catch (java.io.IOException e) {
            return List.of(
                    CheckResult.warn(
                            ID,
                            TITLE,
                            bridge.provisioningUpstream() + " does not answer: " + e.getMessage(),
                            "Check bridge.provisioningUpstream and that the VPN reaches it; phones keep their last configuration meanwhile."));
        }
    }

    /** The upstream's HTTP Date, once run() has reached it. */
    Optional<String> dateHeader() {
        return dateHeader;
    }
}
