package org.sipbridge.daemon;

import java.util.ArrayList;
import java.util.List;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.sip.SipRelayService;
import org.sipbridge.web.BridgeConnection;

/**
 * Connect / Disconnect on Configuration › Bridge, as in the reference product: disconnecting stops the
 * SIP relay (no registrations, calls or probes toward the servers, and nothing answers the phone) until
 * IT connects again, which starts it afresh with the current config. The bridge says Not Ready meanwhile.
 */
final class SipConnection implements BridgeConnection {

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

    /** {@code reasons} plus the Not Ready reason while IT has disconnected the bridge. */
    List<Reason> withReasons(List<Reason> reasons) {
        if (!disconnectedByUser) {
            return reasons;
        }
        List<Reason> all = new ArrayList<>(reasons);
        all.add(
                0,
                Reason.notReady(
                        SOURCE,
                        "The bridge is disconnected from its servers (Disconnect was pressed)",
                        "Press Connect under Configuration › Bridge."));
        return all;
    }
}
