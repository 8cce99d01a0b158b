package org.sipbridge.rtp.relay;

import org.sipbridge.rtp.quality.DirectionSnapshot;

/**
 * One relayed m-line at one instant. Immutable.
 *
 * @param index        the m-line's position in the SDP
 * @param media        {@code audio}, {@code video}…, from the SDP ({@code null} before any SDP)
 * @param roundTripMs  bridge↔phone plus bridge↔PBX round trip from RTCP, legs not measured count 0;
 *                     {@code null} when neither was measured
 * @param socketErrors errors the sockets reported (e.g. ICMP port unreachable from a peer)
 * @param alarm        one-way or no audio while two-way audio is expected, {@code null} when none
 */
public record StreamSnapshot(
        int index,
        String media,
        LegSnapshot lan,
        LegSnapshot vpn,
        DirectionSnapshot lanToVpn,
        DirectionSnapshot vpnToLan,
        Double roundTripMs,
        long socketErrors,
        FlowAlarm alarm) {}
