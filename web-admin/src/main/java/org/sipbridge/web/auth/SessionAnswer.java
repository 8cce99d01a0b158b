package org.sipbridge.web.auth;

/**
 * {@code GET /api/session}: whether a login is needed and made, and the session's CSRF token, which
 * {@code api.js} sends with every change.
 *
 * @param user the logged-in user, {@code null} without a login (or while none is set)
 */
record SessionAnswer(boolean authRequired, boolean authenticated, String user, String csrfToken) {}
