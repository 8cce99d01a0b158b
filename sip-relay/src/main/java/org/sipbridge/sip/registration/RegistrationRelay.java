package org.sipbridge.sip.registration;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Station;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.LogText;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.RegistrationStatus;
import org.sipbridge.sip.ContactParameters;
import org.sipbridge.sip.Exchange;
import org.sipbridge.sip.Hops;
import org.sipbridge.sip.Messages;
import org.sipbridge.sip.Sender;
import org.sipbridge.sip.Side;
import org.sipbridge.sip.auth.StationAuthenticator;
import org.sipbridge.sip.identity.Admission;
import org.sipbridge.sip.identity.Device;
import org.sipbridge.sip.servers.RegistrationGroup;
import org.sipbridge.sip.stack.SipStackFactory.Factories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the phone's REGISTER to the current server of the registration group. The PBX sees only
 * the bridge: the Via, Contact and Call-ID it gets are the bridge's, and each phone contact stands
 * behind a random token in a contact on the VPN address. Digest challenges pass through to the
 * phone untouched, unless a station holds credentials for the user; then the bridge answers them.
 */
public final class RegistrationRelay {

    private static final Logger log = LoggerFactory.getLogger(RegistrationRelay.class);
    public static final String TOKEN_PARAM = "sbid";
    /** The Contact parameters a registrar's 200 carries a binding's GRUUs in (RFC 5627 §5.4). */
    private static final List<String> GRUU_PARAMS = List.of("pub-gruu", "temp-gruu");

    private static final int DEFAULT_EXPIRES = 3600;
    private static final Set<String> NOT_TO_PBX_WITH_STATION = Set.of("authorization", "proxy-authorization");

    private final Factories sip;
    private final Side lan;
    private final Sender toPbx;
    private final RegistrationGroup group;
    private final BindingTable bindings;
    private final StationAuthenticator stations;
    private final Admission admission;
    private final Supplier<Transport> serverTransport;
    private final Clock clock;
    private final CallIdMap callIds = CallIdMap.withRandomSecret();
    /**
     * Last CSeq sent per mapped Call-ID. A phone keeps one Call-ID for its refreshes, so a few hundred
     * entries are plenty; the oldest go first so the map cannot grow without end.
     */
    private final Map<String, Long> lastCseq =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<String, Long>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > MAX_TRACKED_CALL_IDS;
                }
            });

    private static final int MAX_TRACKED_CALL_IDS = 1024;
    private final Map<String, Reason> credentialProblems = new ConcurrentHashMap<>();
    private final RegistrationMemory memory;
    private final PhoneLimit phoneLimit;
    private final Consumer<RegistrationOutcome> outcomes;

    public RegistrationRelay(
            Factories sip,
            Side lan,
            Sender toPbx,
            RegistrationGroup group,
            BindingTable bindings,
            Admission admission,
            Supplier<Transport> serverTransport,
            Clock clock,
            RegistrationMemory memory,
            PhoneLimit phoneLimit,
            Consumer<RegistrationOutcome> outcomes) {
        this.memory = memory;
        this.phoneLimit = phoneLimit;
        this.outcomes = outcomes;
        this.sip = sip;
        this.lan = lan;
        this.toPbx = toPbx;
        this.group = group;
        this.bindings = bindings;
        this.admission = admission;
        this.stations = admission.stations();
        this.serverTransport = serverTransport;
        this.clock = clock;
    }

    /**
     * One REGISTER from the phone and its way through the group's servers. A renewal has no phone
     * transaction (the bridge sends the remembered REGISTER itself) and lists contacts to remove.
     */
    private final class Attempt implements Exchange {
        final ServerTransaction phoneTransaction;
        final Request phoneRequest;
        final Device device;
        final Optional<Station> station;
        final List<String> staleContacts;
        final List<ServerAddress> tried = new ArrayList<>();
        ServerAddress server;
        Request sent;
        boolean answeredChallenge;

        Attempt(
                ServerTransaction phoneTransaction,
                Request phoneRequest,
                Device device,
                Optional<Station> station,
                List<String> staleContacts) {
            this.phoneTransaction = phoneTransaction;
            this.phoneRequest = phoneRequest;
            this.device = device;
            this.station = station;
            this.staleContacts = staleContacts;
        }

        @Override
        public void onResponse(Response response, ClientTransaction transaction) {
            try {
                handle(this, response);
            } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
                log.warn("Could not relay the response to REGISTER {}", phoneRequest.getRequestURI(), e);
                answer(this, Response.SERVER_INTERNAL_ERROR, "Bridge could not relay the response");
            }
        }

        @Override
        public void onNoAnswer(ClientTransaction transaction, String why) {
            // One unanswered REGISTER may be one the server chose to drop; only a probe says it is down.
            log.info("Server {} did not answer REGISTER: {}", server, why);
            group.suspect(server, "no answer to a REGISTER: " + why);
            tryNextServer(this, Response.REQUEST_TIMEOUT, "No answer from " + server);
        }
    }

    /** Handles a REGISTER {@code device} sent; the caller has checked it comes from the LAN. */
    public void fromPhone(ServerTransaction transaction, Device device) {
        Request request = transaction.getRequest();
        String user = Messages.user(
                ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI());
        Attempt attempt = new Attempt(transaction, request, device, stations.stationFor(user), List.of());
        if (!admission.admitsRegister(request, device)) {
            answer(attempt, Response.FORBIDDEN, Admission.REFUSAL);
            return;
        }
        if (!phoneLimit.admits(device)) {
            phoneLimit.refused(device);
            answer(attempt, Response.FORBIDDEN, PhoneLimit.REFUSAL);
            return;
        }
        Optional<ServerAddress> server = group.current();
        if (server.isEmpty()) {
            answer(attempt, Response.SERVICE_UNAVAILABLE, "No PBX server is reachable");
            return;
        }
        sendTo(attempt, server.get());
    }

    /**
     * Sends every remembered REGISTER again from this relay's addresses, removing the contacts the
     * PBX held for the previous run (they may point at a VPN address the bridge no longer has). With
     * station credentials the bridge answers the PBX's challenge itself; without them a challenge
     * ends the renewal and the phone's own next refresh registers it.
     */
    public void renewRemembered() {
        for (RegistrationMemory.Remembered remembered : memory.live(clock.instant())) {
            Request request = remembered.phoneRequest();
            String user = Messages.user(
                    ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI());
            Optional<ServerAddress> server = group.current();
            if (server.isEmpty()) {
                log.warn("Cannot renew the registration of {}: no server is reachable", user);
                continue;
            }
            log.info(
                    "Renewing the registration of {} from {}",
                    user,
                    toPbx.side().address());
            sendTo(
                    new Attempt(
                            null, request, remembered.device(), stations.stationFor(user), remembered.bridgeContacts()),
                    server.get());
        }
    }

    private void sendTo(Attempt attempt, ServerAddress server) {
        attempt.server = server;
        attempt.tried.add(server);
        attempt.answeredChallenge = false;
        try {
            attempt.sent = upstreamRequest(attempt.phoneRequest, server, attempt.station.isPresent());
        } catch (ParseException | InvalidArgumentException | SipException e) {
            log.warn("Could not build REGISTER for {}", server, e);
            answer(attempt, Response.SERVER_INTERNAL_ERROR, "Bridge could not build the request");
            return;
        }
        if (attempt.sent == null) {
            answer(attempt, Response.TOO_MANY_HOPS, "Too Many Hops");
            return;
        }
        try {
            expireStaleContacts(attempt);
        } catch (ParseException | InvalidArgumentException e) {
            log.warn("Could not list the old contacts to remove; they expire on their own", e);
        }
        toPbx.send(attempt.sent, attempt);
    }

    private void expireStaleContacts(Attempt attempt) throws ParseException, InvalidArgumentException {
        for (String stale : attempt.staleContacts) {
            ContactHeader contact = sip.headers()
                    .createContactHeader(
                            sip.addresses().createAddress(sip.addresses().createURI(stale)));
            contact.setExpires(0);
            attempt.sent.addHeader(contact);
        }
    }

    private void tryNextServer(Attempt attempt, int status, String reason) {
        Optional<ServerAddress> next = group.failoverTarget(attempt.server, attempt.tried);
        if (next.isPresent()) {
            log.info("Failing over from {} to {}", attempt.server, next.get());
            sendTo(attempt, next.get());
        } else {
            answer(attempt, status, reason);
        }
    }

    private void handle(Attempt attempt, Response response)
            throws ParseException, SipException, InvalidArgumentException {
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        if (status == Response.SERVICE_UNAVAILABLE) {
            // RFC 3261 §21.5.4: the server may be overloaded or going down; a probe decides, this
            // REGISTER tries the next server.
            group.suspect(attempt.server, "503 to a REGISTER");
            tryNextServer(attempt, status, response.getReasonPhrase());
            return;
        }
        // Any other answer, 5xx included, is about this one request: the server is alive.
        group.answered(attempt.server);
        if (attempt.station.isEmpty() && attempt.phoneTransaction != null) {
            admission.answered(attempt.device, attempt.phoneRequest, response);
        }
        boolean challenge = status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED;
        if (challenge && attempt.station.isPresent()) {
            Station station = attempt.station.get();
            if (!attempt.answeredChallenge && retryWithCredentials(attempt, response, station)) {
                return;
            }
            credentialProblems.put(
                    station.userName(),
                    Reason.notReady(
                            "sip",
                            "The PBX refused the station credentials of " + station.userName(),
                            "Check the user name and password under Configuration › Authentication."));
            answer(attempt, Response.FORBIDDEN, "Station credentials refused by the PBX");
            return;
        }
        if (status < 300) {
            attempt.station.ifPresent(s -> credentialProblems.remove(s.userName()));
            relayToPhone(attempt, response, updateBindings(attempt, response));
        } else {
            relayToPhone(attempt, response, Map.of());
        }
    }

    private boolean retryWithCredentials(Attempt attempt, Response challenge, Station station)
            throws ParseException, InvalidArgumentException, SipException {
        String callId = ((CallIdHeader) attempt.sent.getHeader(CallIdHeader.NAME)).getCallId();
        Optional<Request> retry =
                stations.retry(attempt.sent, via(), cseq -> nextCseq(callId, cseq + 1), challenge, station);
        if (retry.isEmpty()) {
            return false;
        }
        attempt.answeredChallenge = true;
        attempt.sent = retry.get();
        toPbx.send(retry.get(), attempt);
        return true;
    }

    /** The REGISTER the PBX gets, or null when Max-Forwards is exhausted. */
    Request upstreamRequest(Request phone, ServerAddress server, boolean bridgeAuthenticates)
            throws ParseException, InvalidArgumentException, SipException {
        int maxForwards = Messages.nextMaxForwards(phone);
        if (maxForwards < 0) {
            return null;
        }
        URI requestUri = (URI) phone.getRequestURI().clone();
        if (requestUri instanceof SipURI sipUri && sipUri.getHost().equals(lan.address())) {
            // The phone addressed the bridge itself: the PBX must see a URI it owns.
            sipUri.setHost(server.host());
            sipUri.setPort(server.port());
        }
        CallIdHeader phoneCallId = (CallIdHeader) phone.getHeader(CallIdHeader.NAME);
        String callId = callIds.pbxCallId(phoneCallId.getCallId());
        long phoneCseq = ((CSeqHeader) phone.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Request up = sip.messages()
                .createRequest(
                        requestUri,
                        Request.REGISTER,
                        sip.headers().createCallIdHeader(callId),
                        sip.headers().createCSeqHeader(nextCseq(callId, phoneCseq), Request.REGISTER),
                        (FromHeader) phone.getHeader(FromHeader.NAME).clone(),
                        (ToHeader) phone.getHeader(ToHeader.NAME).clone(),
                        new ArrayList<>(List.of(via())),
                        sip.headers().createMaxForwardsHeader(maxForwards));
        Messages.copyHeaders(
                phone,
                up,
                bridgeAuthenticates ? union(Messages.PER_HOP, NOT_TO_PBX_WITH_STATION) : Messages.PER_HOP,
                toPbx.side().hidden());
        up.addHeader(route(server));
        for (ListIterator<?> contacts = phone.getHeaders(ContactHeader.NAME); contacts.hasNext(); ) {
            up.addHeader(bridgeContact((ContactHeader) contacts.next()));
        }
        return up;
    }

    private ContactHeader bridgeContact(ContactHeader phoneContact) throws ParseException, InvalidArgumentException {
        if (phoneContact.isWildCard()) {
            return sip.headers().createContactHeader(); // "*": remove every binding
        }
        URI phoneUri = phoneContact.getAddress().getURI();
        Transport transport = serverTransport.get();
        SipURI uri = sip.addresses()
                .createSipURI(
                        Messages.user(phoneUri).isEmpty() ? null : Messages.user(phoneUri),
                        toPbx.side().address());
        uri.setPort(toPbx.side().port(transport));
        if (transport != Transport.UDP) {
            uri.setTransportParam(transport.key());
        }
        uri.setParameter(TOKEN_PARAM, bindings.tokenFor(phoneUri.toString()));
        return ContactParameters.copy(
                phoneContact,
                sip.headers().createContactHeader(sip.addresses().createAddress(uri)),
                toPbx.side().hidden());
    }

    /** Records the bindings a 2xx confirms; returns token → the phone's contact, for the reply. */
    private Map<String, URI> updateBindings(Attempt attempt, Response response) {
        String aor = ((ToHeader) attempt.phoneRequest.getHeader(ToHeader.NAME))
                .getAddress()
                .getURI()
                .toString();
        String user = Messages.user(((ToHeader) attempt.phoneRequest.getHeader(ToHeader.NAME))
                .getAddress()
                .getURI());
        ExpiresHeader expiresHeader = response.getExpires();
        int defaultExpires = expiresHeader == null ? DEFAULT_EXPIRES : expiresHeader.getExpires();
        Map<String, URI> confirmed = new java.util.HashMap<>();
        for (ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME); contacts.hasNext(); ) {
            ContactHeader contact = (ContactHeader) contacts.next();
            if (contact.isWildCard() || !(contact.getAddress().getURI() instanceof SipURI uri)) {
                continue;
            }
            String token = uri.getParameter(TOKEN_PARAM);
            Optional<String> phoneContact = token == null ? Optional.empty() : bindings.phoneContactOf(token);
            if (phoneContact.isEmpty()) {
                continue;
            }
            int expires = contact.getExpires() >= 0 ? contact.getExpires() : defaultExpires;
            try {
                confirmed.put(token, sip.addresses().createURI(phoneContact.get()));
            } catch (ParseException e) {
                continue;
            }
            bindings.put(new Binding(
                    token,
                    aor,
                    user,
                    phoneContact.get(),
                    uri.toString(),
                    attempt.server,
                    deviceOf(token, attempt),
                    clock.instant().plusSeconds(expires)));
            assignGruus(token, contact);
        }
        for (Binding old : bindings.ofAor(aor)) {
            if (!confirmed.containsKey(old.token())) {
                bindings.remove(old.token());
            }
        }
        memory.remember(aor, attempt.phoneRequest, attempt.device, bindings.ofAor(aor));
        return confirmed;
    }

    /**
     * The device a binding in a 200 belongs to. The registrar lists every binding of the AOR, those
     * other phones registered too (a desk phone and a softphone sharing 1001): a contact this REGISTER
     * did not carry stays with the device that registered it, or the PBX's calls to that phone would
     * be taken for the other phone's (a fork to both then looked like one phone getting it twice).
     */
    private Device deviceOf(String token, Attempt attempt) {
        for (ListIterator<?> contacts = attempt.phoneRequest.getHeaders(ContactHeader.NAME); contacts.hasNext(); ) {
            ContactHeader contact = (ContactHeader) contacts.next();
            if (!contact.isWildCard()
                    && token.equals(
                            bindings.tokenFor(contact.getAddress().getURI().toString()))) {
                return attempt.device;
            }
        }
        return bindings.byToken(token).map(Binding::device).orElse(attempt.device);
    }

    /**
     * The GRUUs the registrar gave the binding (RFC 5627): a phone that learns them through the 200
     * may use one as its dialogs' Contact, and requests to it must then reach the phone (see calls'
     * {@code PhoneTarget}).
     */
    private void assignGruus(String token, ContactHeader contact) {
        for (String name : GRUU_PARAMS) {
            String value = contact.getParameter(name);
            if (value == null) {
                continue;
            }
            try {
                if (sip.addresses().createURI(unquoted(value)) instanceof SipURI gruu) {
                    bindings.assignGruu(token, gruu);
                }
            } catch (ParseException e) {
                log.debug("A {} that is no URI: {}", name, LogText.bounded(value));
            }
        }
    }

    /** jain-sip hands quoted parameter values back without their quotes; this makes sure of it. */
    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private void relayToPhone(Attempt attempt, Response upstream, Map<String, URI> phoneContacts)
            throws ParseException, SipException, InvalidArgumentException {
        if (attempt.phoneTransaction == null) {
            log.info("Renewed registration answered {} {}", upstream.getStatusCode(), upstream.getReasonPhrase());
            return;
        }
        Response reply = sip.messages().createResponse(upstream.getStatusCode(), attempt.phoneRequest);
        reply.setReasonPhrase(upstream.getReasonPhrase());
        String tag = ((ToHeader) upstream.getHeader(ToHeader.NAME)).getTag();
        if (tag != null) {
            ((ToHeader) reply.getHeader(ToHeader.NAME)).setTag(tag);
        }
        Messages.copyHeaders(upstream, reply, Messages.PER_HOP);
        for (ListIterator<?> contacts = upstream.getHeaders(ContactHeader.NAME); contacts.hasNext(); ) {
            ContactHeader contact = (ContactHeader) contacts.next();
            if (contact.getAddress().getURI() instanceof SipURI uri
                    && phoneContacts.containsKey(uri.getParameter(TOKEN_PARAM))) {
                reply.addHeader(ContactParameters.copy(
                        contact,
                        sip.headers()
                                .createContactHeader(sip.addresses()
                                        .createAddress(phoneContacts.get(uri.getParameter(TOKEN_PARAM)))),
                        lan.hidden()));
            }
            // Other bindings of the same user sit at addresses the phone cannot reach: not shown.
        }
        attempt.phoneTransaction.sendResponse(reply);
        report(attempt, upstream.getStatusCode(), upstream.getReasonPhrase(), attempt.server.toString());
    }

    /** Tells the phone book what the phone was answered; for a 2xx, until when its contacts are bound. */
    private void report(Attempt attempt, int status, String reason, String server) {
        String aor = ((ToHeader) attempt.phoneRequest.getHeader(ToHeader.NAME))
                .getAddress()
                .getURI()
                .toString();
        Optional<java.time.Instant> expiresAt = status >= 300
                ? Optional.empty()
                : bindings.ofAor(aor).stream()
                        .filter(b -> b.device().isSameAs(attempt.device))
                        .map(Binding::expiresAt)
                        .max(java.util.Comparator.naturalOrder());
        outcomes.accept(new RegistrationOutcome(
                attempt.device.ip(),
                userAgent(attempt.phoneRequest),
                aor,
                status,
                reason == null ? "" : reason,
                server,
                expiresAt,
                PhoneLimit.REFUSAL.equals(reason) && status == Response.FORBIDDEN));
    }

    private static String userAgent(Request request) {
        Header header = request.getHeader(UserAgentHeader.NAME);
        if (header == null) {
            return "";
        }
        String text = header.toString().trim();
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(colon + 1).trim();
    }

    private void answer(Attempt attempt, int status, String reason) {
        if (attempt.phoneTransaction == null) {
            log.warn("Renewing a registration failed: {} {}", status, reason);
            return;
        }
        try {
            Response reply = sip.messages().createResponse(status, attempt.phoneRequest);
            reply.setReasonPhrase(reason);
            if (status == Response.SERVICE_UNAVAILABLE) {
                reply.addHeader(sip.headers().createRetryAfterHeader(30));
            }
            attempt.phoneTransaction.sendResponse(reply);
            report(attempt, status, reason, attempt.server == null ? "" : attempt.server.toString());
        } catch (ParseException | SipException | InvalidArgumentException e) {
            log.warn("Could not answer the phone's REGISTER with {}", status, e);
        }
    }

    private ViaHeader via() throws ParseException, InvalidArgumentException {
        return Hops.via(sip, toPbx.side(), serverTransport.get());
    }

    private RouteHeader route(ServerAddress server) throws ParseException {
        return Hops.route(sip, server, serverTransport.get());
    }

    /** CSeq numbers per Call-ID only grow, also across the bridge's own retries with credentials. */
    private long nextCseq(String callId, long wanted) {
        return lastCseq.merge(callId, wanted, (last, next) -> Math.max(last + 1, next));
    }

    public List<RegistrationStatus> registrations() {
        return bindings.live().stream()
                .map(b -> new RegistrationStatus(
                        b.aor(),
                        b.phoneContact(),
                        Math.max(
                                0,
                                b.expiresAt().getEpochSecond() - clock.instant().getEpochSecond()),
                        b.server().toString()))
                .toList();
    }

    public List<Reason> reasons() {
        return List.copyOf(credentialProblems.values());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
