package org.sipbridge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The one test of the epoll/NIO choice; what each backend says about a taken port is in the modules' ITs. */
class IoBackendTest {

    /** The native jar is on the class path for Linux x86-64 and must work there. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void epollWorksOnLinux() {
        assertTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        assertEquals(
                IoBackend.EPOLL,
                IoBackend.best(),
                () -> IoBackend.epollProblem().orElse(""));
    }

    @Test
    void epollNeedsNativeAndClassesFromOneRelease() {
        assertTrue(IoBackend.sameRelease("4.2.18.Final", "4.2.18.Final"));
        assertFalse(IoBackend.sameRelease("4.2.20.Final", "4.2.18.Final"));
        assertTrue(IoBackend.sameRelease("4.2.20.Final", null), "unknown (merged fat jar): trusted");
    }

    @Test
    void choosesEpollExactlyWhenNothingStandsInItsWay() {
        assertEquals(IoBackend.epollUsable() ? IoBackend.EPOLL : IoBackend.NIO, IoBackend.best());
        if (!Epoll.isAvailable()) {
            assertEquals(IoBackend.NIO, IoBackend.best());
        }
    }

    @Test
    void eachBackendMakesAnIpv4Channel() {
        for (IoBackend backend : IoBackend.values()) {
            if (backend == IoBackend.EPOLL && !IoBackend.epollUsable()) {
                continue;
            }
            var channel = backend.newChannel();
            try {
                assertTrue(channel.isOpen());
            } finally {
                channel.unsafe().closeForcibly();
            }
        }
    }
}
