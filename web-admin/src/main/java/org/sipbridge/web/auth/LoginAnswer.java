package org.sipbridge.web.auth;

/** A successful {@code POST /api/login}: the new session's CSRF token. */
record LoginAnswer(String csrfToken) {}
