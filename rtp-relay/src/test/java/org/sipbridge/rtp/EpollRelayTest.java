package org.sipbridge.rtp;

import org.junit.jupiter.api.condition.EnabledIf;
import org.sipbridge.rtp.relay.Transport;

/**
 * The relay contract on Linux epoll, the transport the daemon uses on Linux when the netty native library
 * matches the netty classes (see {@link Transport#epollUsable()} and the note in the pom).
 */
@EnabledIf("org.sipbridge.rtp.relay.Transport#epollUsable")
class EpollRelayTest extends RelayContractTest {

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
