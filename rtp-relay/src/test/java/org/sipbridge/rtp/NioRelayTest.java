package org.sipbridge.rtp;

import org.sipbridge.io.IoBackend;

/** The relay contract on Java NIO, the fallback on other systems. */
class NioRelayTest extends RelayContractTest {

    @Override
    IoBackend backend() {
        return IoBackend.NIO;
    }
}
