package org.sipbridge.rtp;

import org.sipbridge.rtp.relay.Transport;

/** The relay contract on Java NIO, the fallback on other systems. */
class NioRelayTest extends RelayContractTest {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
