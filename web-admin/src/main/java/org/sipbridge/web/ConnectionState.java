package org.sipbridge.web;

/** {@code /api/bridge/connection} (and the answer of connect/disconnect): the Connect / Disconnect switch's state. */
record ConnectionState(boolean connected) {}
