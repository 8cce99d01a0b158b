package org.sipbridge.rtp;

import org.junit.jupiter.api.condition.EnabledIf;
import org.sipbridge.io.IoBackend;

/**
 * The relay contract on Linux epoll, the transport the daemon uses on Linux when the netty native library
 * matches the netty classes (see {@link IoBackend#epollUsable()} and the note in the pom).
 */
@EnabledIf("org.sipbridge.io.IoBackend#epollUsable")
class EpollRelayTest extends RelayContractTest {

    @Override
    IoBackend backend() {
        return IoBackend.EPOLL;
    }
}
