package org.sipbridge.web.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions of the web UI, in memory (a restart logs everybody out). Ids and CSRF tokens are
 * 256 random bits. A session ends after {@link #IDLE} without use or {@link #ABSOLUTE} after it began;
 * at most {@code capacity} live at once, so anonymous visitors cannot exhaust memory (the least
 * recently used anonymous session goes first).
 */
public final class SessionStore {

    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int capacity;

    public SessionStore(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    /** One browser's session; {@code user} is null while nobody has logged in on it. */
    public static final class Session {
        private final String id;
        private final String csrfToken;
        private final Instant created;
        private volatile Instant lastUsed;
        private final String user;

        private Session(String id, String csrfToken, Instant created, String user) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastUsed = created;
            this.user = user;
        }

        public String id() {
            return id;
        }

        public String csrfToken() {
            return csrfToken;
        }

        public String user() {
            return user;
        }
    }

    /** A new session for {@code user} (null: anonymous). */
    public Session create(String user) {
        Instant now = clock.instant();
        if (sessions.size() >= capacity) {
            sessions.values().removeIf(s -> expired(s, now));
        }
        while (sessions.size() >= capacity) {
            sessions.values().stream()
                    .min(Comparator.comparing((Session s) -> s.user != null).thenComparing(s -> s.lastUsed))
                    .ifPresent(s -> sessions.remove(s.id));
        }
        Session session = new Session(random(), random(), now, user);
        sessions.put(session.id, session);
        return session;
    }

    /** The live session with this id, marked as used now; expired sessions are removed. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastUsed = now;
        return Optional.of(session);
    }

    public void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** After a credentials change: every session ends. */
    public void endAll() {
        sessions.clear();
    }

    public int size() {
        return sessions.size();
    }

    private static boolean expired(Session session, Instant now) {
        return now.isAfter(session.lastUsed.plus(IDLE)) || now.isAfter(session.created.plus(ABSOLUTE));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
