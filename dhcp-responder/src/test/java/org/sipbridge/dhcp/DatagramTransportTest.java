package org.sipbridge.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class DatagramTransportTest {

    /** The native jar is on the classpath for Linux x86-64 and must at least load there. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void theEpollNativeLibraryLoadsOnLinux() {
        assertTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
    }

    @Test
    void choosesEpollOnlyWhenNothingStandsInItsWay() {
        assertEquals(DatagramTransport.epollProblem().isEmpty() ? DatagramTransport.EPOLL : DatagramTransport.NIO,
                DatagramTransport.best());
    }

    /** What the chosen transport says about a taken port is covered by DhcpResponderServiceIT. */
    @Test
    void theChosenTransportMakesAnIpv4Channel() {
        var channel = DatagramTransport.best().newChannel();
        try {
            assertTrue(channel.isOpen());
        } finally {
            channel.unsafe().closeForcibly();
        }
    }
}
