package org.sipbridge.sip.registration;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import org.sipbridge.sip.identity.Device;

/**
 * The phone contacts registered through the bridge, by the token that stands for each in the
 * contact the PBX sees. Tokens are random per phone contact, so nothing of the LAN address can be
 * read from them.
 */
public final class BindingTable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Binding> byToken = new ConcurrentHashMap<>();
    private final Map<String, String> tokenByPhoneContact = new ConcurrentHashMap<>();
    /** GRUUs (RFC 5627) the registrar assigned, as {@link #gruuKey} → the token of their binding. */
    private final Map<String, String> tokenByGruu = new ConcurrentHashMap<>();

    private final Clock clock;

    public BindingTable(Clock clock) {
        this.clock = clock;
    }

    /** The token for a phone contact: the same one for every refresh of that contact. */
    public String tokenFor(String phoneContact) {
        return tokenByPhoneContact.computeIfAbsent(phoneContact, c -> {
            byte[] bytes = new byte[8];
            RANDOM.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        });
    }

    public Optional<String> phoneContactOf(String token) {
        return tokenByPhoneContact.entrySet().stream()
                .filter(e -> e.getValue().equals(token))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    public void put(Binding binding) {
        byToken.put(binding.token(), binding);
    }

    public void remove(String token) {
        byToken.remove(token);
        tokenByGruu.values().removeIf(token::equals);
    }

    /**
     * Records a GRUU the registrar assigned to the binding {@code token} (its pub-gruu, or one of its
     * temp-gruus: each refresh brings a new one and the old ones stay valid, RFC 5627 §3.2). A URI
     * without a {@code gr} parameter is no GRUU and is ignored.
     */
    public void assignGruu(String token, SipURI gruu) {
        String key = gruuKey(gruu);
        if (key != null) {
            tokenByGruu.put(key, token);
        }
    }

    /**
     * The live binding a GRUU stands for: where a request to it goes, as the registrar's proxy would
     * retarget it (RFC 5627 §5.1). Empty for a URI that is no GRUU the bridge saw assigned.
     */
    public Optional<Binding> byGruu(URI uri) {
        String key = uri instanceof SipURI sip ? gruuKey(sip) : null;
        String token = key == null ? null : tokenByGruu.get(key);
        return token == null ? Optional.empty() : byToken(token);
    }

    private static boolean hasGrParameter(SipURI uri) {
        for (Iterator<?> names = uri.getParameterNames(); names.hasNext(); ) {
            if ("gr".equalsIgnoreCase((String) names.next())) {
                return true;
            }
        }
        return false;
    }

    /** user@host;gr=value, the parts that tell GRUUs apart (host case-insensitive); null when no GRUU. */
    private static String gruuKey(SipURI uri) {
        if (!hasGrParameter(uri) || uri.getHost() == null) {
            return null;
        }
        String gr = uri.getParameter("gr");
        return uri.getUser() + "@" + uri.getHost().toLowerCase(Locale.ROOT) + ";gr=" + (gr == null ? "" : gr);
    }

    /** Live bindings of an AOR. */
    public List<Binding> ofAor(String aor) {
        return live().stream().filter(b -> b.aor().equals(aor)).toList();
    }

    public Optional<Binding> byToken(String token) {
        Binding binding = byToken.get(token);
        return binding != null && binding.expiresAt().isAfter(clock.instant())
                ? Optional.of(binding)
                : Optional.empty();
    }

    /** True when {@code device} holds a live binding of {@code user} made through the bridge. */
    public boolean isBoundTo(String user, Device device) {
        return live().stream().anyMatch(b -> b.user().equals(user) && b.device().isSameAs(device));
    }

    /** True when another address than {@code device}'s holds a live binding of {@code user}. */
    public boolean isBoundFromAnotherAddress(String user, Device device) {
        return live().stream()
                .anyMatch(b -> b.user().equals(user) && !b.device().ip().equals(device.ip()));
    }

    /**
     * True when some live binding was registered from {@code ip}, as the transport saw it: connections
     * from that address belong to a registered phone (the SIP listeners never close them to make room).
     */
    public boolean hasLiveBindingFrom(String ip) {
        return live().stream().anyMatch(b -> b.device().ip().equals(ip));
    }

    /** How many LAN addresses hold a live binding: the phones the bridge serves now. */
    public int liveDeviceAddresses() {
        return (int) live().stream().map(b -> b.device().ip()).distinct().count();
    }

    /** Bindings that have not expired; expired ones are dropped on the way. */
    public List<Binding> live() {
        byToken.values().removeIf(b -> !b.expiresAt().isAfter(clock.instant()));
        tokenByGruu.values().removeIf(token -> !byToken.containsKey(token));
        return List.copyOf(byToken.values());
    }
}
