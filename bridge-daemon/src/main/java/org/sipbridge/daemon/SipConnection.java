package org.sipbridge.daemon;

import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.StatusDraft;
import org.sipbridge.contract.status.StatusPart;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.web.BridgeConnection;

/**
 * Connect / Disconnect on Configuration › Bridge, as in the reference product: disconnecting stops the
 * SIP relay (no registrations, calls or probes toward the servers, and nothing answers the phone) until
 * IT connects again, which starts it afresh with the current config. The bridge says Not Ready meanwhile:
 * its part of the status.
 */
final class SipConnection implements BridgeConnection, StatusPart {

    static final String SOURCE = "connection";

    private final AdapterBoundService<SipRelayService> sip;
    private volatile boolean disconnectedByUser;

    SipConnection(AdapterBoundService<SipRelayService> sip) {
        this.sip = sip;
    }

    @Override
    public boolean connected() {
        return sip.running().isPresent();
    }

    @Override
    public synchronized void connect() throws Exception {
        if (sip.running().isEmpty()) {
            sip.start();
        }
        disconnectedByUser = false;
    }

    @Override
    public synchronized void disconnect() {
        disconnectedByUser = true;
        sip.stop();
    }

    /** The Not Ready reason while IT has disconnected the bridge. */
    @Override
    public void addTo(StatusDraft status) {
        if (disconnectedByUser) {
            status.add(Reason.notReady(
                    SOURCE,
                    "The bridge is disconnected from its servers (Disconnect was pressed)",
                    "Press Connect under Configuration › Bridge."));
        }
    }
}
