package org.sipbridge.sip.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.Station;
import org.sipbridge.sip.Messages;
import org.sipbridge.sip.auth.StationAuthenticator;
import org.sipbridge.sip.registration.BindingTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who on the LAN may do what through the bridge. Identity is bound to the device that registered
 * it: a request is relayed as user U only when it comes from the device holding a live binding of U
 * (see {@link Device} for what "the same device" means per transport). Station credentials are
 * used only for such requests, and password guessing is stopped here, not at the PBX.
 *
 * <p>Every refusal gets the same answer on the wire ({@link #REFUSAL}, 403 "Forbidden"), so a
 * device cannot learn which users are registered; the reason goes only to the log.
 */
public final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);
    public static final String REFUSAL = "Forbidden";
    /** Headers naming who the caller claims to be (RFC 3325); each must be the device's own user. */
    private static final List<String> IDENTITY_HEADERS = List.of("P-Preferred-Identity", "P-Asserted-Identity");

    private static final Pattern SIP_USER = Pattern.compile("sips?:([^@;>\\s]+)@", Pattern.CASE_INSENSITIVE);

    private final BindingTable bindings;
    private final StationAuthenticator stations;
    private final DigestGuard guard;

    private final LongAdder refused = new LongAdder();

    public Admission(BindingTable bindings, StationAuthenticator stations, DigestGuard guard) {
        this.bindings = bindings;
        this.stations = stations;
        this.guard = guard;
    }

    /** True when the REGISTER may go to the PBX; otherwise logs why and counts it (the caller answers 403). */
    public boolean admitsRegister(Request register, Device device) {
        return admits(register, device, refusalForRegister(register, device));
    }

    /** True when the new request may go to the PBX; otherwise logs why and counts it (the caller answers 403). */
    public boolean admitsRequest(Request request, Device device) {
        return admits(request, device, refusalForRequest(request, device));
    }

    private boolean admits(Request request, Device device, Optional<String> refusal) {
        refusal.ifPresent(why -> {
            refused.increment();
            log.info("Refused {} from {}: {}", request.getMethod(), device, why);
        });
        return refusal.isEmpty();
    }

    /** Requests refused by identity and guessing checks. */
    public long refused() {
        return refused.sum();
    }

    /**
     * Why a REGISTER from {@code device} must not reach the PBX, if it must not. Without a station
     * the PBX checks the phone's password, so any LAN device may try (within the guard's limit);
     * with one the bridge answers the challenge itself, so it registers a station user only for the
     * address that already holds its binding, or when nobody does.
     */
    Optional<String> refusalForRegister(Request register, Device device) {
        String user = Messages.user(
                ((ToHeader) register.getHeader(ToHeader.NAME)).getAddress().getURI());
        if (stations.stationFor(user).isPresent() && bindings.isBoundFromAnotherAddress(user, device)) {
            return Optional.of("station " + user + " is registered from another device");
        }
        return guessing(register, device);
    }

    /** Why a new request (INVITE, MESSAGE, SUBSCRIBE...) from {@code device} must not reach the PBX, if it must not. */
    Optional<String> refusalForRequest(Request request, Device device) {
        for (String user : claimedUsers(request)) {
            if (!bindings.isBoundTo(user, device)) {
                return Optional.of(
                        user.isEmpty()
                                ? "no user in the identity"
                                : "identity " + user + " is not registered through this bridge by this device");
            }
        }
        return guessing(request, device);
    }

    private Optional<String> guessing(Request request, Device device) {
        if (CredentialOutcome.carriesCredentials(request) && !guard.mayTry(device.ip())) {
            return Optional.of("too many refused passwords from this device");
        }
        return Optional.empty();
    }

    /** The station whose credentials answer the PBX's challenges for {@code user}, if any. */
    public Optional<Station> stationFor(String user) {
        return stations.stationFor(user);
    }

    /**
     * The PBX's final answer to a request the device sent with its own credentials: refused
     * passwords count toward a block of the device's address.
     */
    public void answered(Device device, Request phoneRequest, Response response) {
        Duration block = guard.record(device.ip(), CredentialOutcome.of(phoneRequest, response));
        if (!block.isZero()) {
            log.warn(
                    "Blocking requests with credentials from {} for {} s: the PBX refused its password {} times",
                    device.ip(),
                    block.toSeconds(),
                    DigestGuard.ALLOWED_FAILURES);
        }
    }

    public DigestGuard guard() {
        return guard;
    }

    public StationAuthenticator stations() {
        return stations;
    }

    /** The users a request claims to be: From, and any RFC 3325 identity header. */
    static List<String> claimedUsers(Request request) {
        List<String> users = new ArrayList<>();
        users.add(Messages.user(
                ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI()));
        for (String name : IDENTITY_HEADERS) {
            for (ListIterator<?> it = request.getHeaders(name); it.hasNext(); ) {
                // Parsed or not (jain-sip may keep these as extension headers), the user of its SIP
                // URI; an identity the bridge cannot read (tel:, garbage) is not one it can vouch for.
                Matcher user = SIP_USER.matcher(it.next().toString());
                users.add(user.find() ? user.group(1) : "");
            }
        }
        return users;
    }
}
