package org.sipbridge.contract.status;

import java.time.Instant;

/**
 * One step of a call's SIP timeline: a message between the phone, the bridge and the PBX
 * ({@code from}/{@code to} are {@code phone}, {@code bridge} or {@code pbx}), e.g. an INVITE the
 * phone sent, the 180 the PBX answered, or a timeout the bridge noticed.
 */
public record CallEvent(Instant at, String from, String to, String message) {}
