package org.sipbridge.sip;

import java.util.ArrayList;
import java.util.List;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one side's listening points to another address of the same running stack (the VPN came back
 * with a new address). The side's provider stays: jain-sip keeps each dialog with the provider it was
 * created on and builds an in-dialog request's Via from that provider's listening point, so the calls
 * in progress keep their dialogs (CSeq, route set, tags) and their next requests leave from the new
 * address. Restarting the stack, as the daemon did before, loses every dialog.
 */
final class VpnListeningPoints {

    private static final Logger log = LoggerFactory.getLogger(VpnListeningPoints.class);

    /** Creates a listening point on the stack (the relay's, which names the threads and reports bind failures). */
    interface Factory {
        ListeningPoint create(String address, int port, String transport) throws Exception;
    }

    private VpnListeningPoints() {}

    /**
     * Binds every transport of {@code side} on {@code newAddress} (same ports), swaps them into the side's
     * provider and closes the old ones. When a new one cannot be bound nothing changes; when an old one is
     * still in use (a TCP connection a transaction holds) the move stops there and the caller restarts.
     */
    static void move(SipStack stack, Side side, String newAddress, Factory factory) throws Exception {
        SipProvider provider = side.provider();
        List<ListeningPoint> old = List.of(provider.getListeningPoints());
        List<ListeningPoint> fresh = new ArrayList<>();
        try {
            for (ListeningPoint point : old) {
                fresh.add(factory.create(newAddress, point.getPort(), point.getTransport()));
            }
        } catch (Exception e) {
            fresh.forEach(point -> delete(stack, point));
            throw e;
        }
        for (ListeningPoint point : old) {
            provider.removeListeningPoint(point);
        }
        for (ListeningPoint point : fresh) {
            provider.addListeningPoint(point);
        }
        side.movedTo(newAddress);
        old.forEach(point -> delete(stack, point));
    }

    /**
     * Adds or removes {@code side}'s listening point for {@code transport} so that it exists exactly when
     * {@code wanted}; idempotent. One still in use (a connection a transaction holds) stays, logged, until
     * the next change or restart.
     */
    static void keepOnlyIf(boolean wanted, SipStack stack, Side side, String transport, int port, Factory factory)
            throws Exception {
        SipProvider provider = side.provider();
        ListeningPoint current = provider.getListeningPoint(transport);
        if (wanted && current == null) {
            provider.addListeningPoint(factory.create(side.address(), port, transport));
            log.info("SIP relay: listening for {} on {}:{}", transport, side.address(), port);
        } else if (!wanted && current != null) {
            try {
                provider.removeListeningPoint(current);
            } catch (ObjectInUseException e) {
                log.info(
                        "SIP relay: {} on {}:{} is still in use; it closes at the next change or restart",
                        transport,
                        side.address(),
                        port);
                return;
            }
            delete(stack, current);
            log.info("SIP relay: no longer listening for {} on {}:{}", transport, side.address(), port);
        }
    }

    private static void delete(SipStack stack, ListeningPoint point) {
        try {
            stack.deleteListeningPoint(point);
        } catch (ObjectInUseException | RuntimeException e) {
            log.debug(
                    "Could not close the SIP listening point {}:{} ({}): {}",
                    point.getIPAddress(),
                    point.getPort(),
                    point.getTransport(),
                    e.toString());
        }
    }
}
