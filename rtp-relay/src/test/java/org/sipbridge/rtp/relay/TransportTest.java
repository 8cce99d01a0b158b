package org.sipbridge.rtp.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void epollNeedsNativeAndClassesFromOneRelease() {
        assertTrue(Transport.sameRelease("4.2.18.Final", "4.2.18.Final"));
        assertFalse(Transport.sameRelease("4.2.20.Final", "4.2.18.Final"));
        assertTrue(Transport.sameRelease("4.2.20.Final", null), "unknown (merged fat jar): trusted");
    }

    @Test
    void bestIsEpollExactlyWhenItIsUsable() {
        assertEquals(Transport.epollUsable() ? Transport.EPOLL : Transport.NIO, Transport.best());
        if (!Epoll.isAvailable()) {
            assertEquals(Transport.NIO, Transport.best());
        }
    }
}
