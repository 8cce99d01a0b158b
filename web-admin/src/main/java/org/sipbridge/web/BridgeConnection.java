package org.sipbridge.web;

/**
 * The Connect / Disconnect button of Configuration › Bridge: whether the bridge talks to its servers
 * (registrations, calls, OPTIONS probes) at all. The daemon implements it over the SIP relay.
 */
public interface BridgeConnection {

    boolean connected();

    /** Starts talking to the servers again; throws with the reason when that cannot be done now. */
    void connect() throws Exception;

    /** Stops talking to the servers until {@link #connect()}; the phone gets no service meanwhile. */
    void disconnect();

    BridgeConnection NONE = new BridgeConnection() {
        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public void connect() {
            throw new IllegalStateException("the SIP relay is not part of this server");
        }

        @Override
        public void disconnect() {}
    };
}
