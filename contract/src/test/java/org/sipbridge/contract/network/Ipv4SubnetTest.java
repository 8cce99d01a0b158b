package org.sipbridge.contract.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {

    @Test
    void overlapIsAnyCommonAddress() {
        assertTrue(Ipv4Subnet.parse("192.168.0.10/24").overlaps(Ipv4Subnet.parse("192.168.0.200/24")));
        assertTrue(Ipv4Subnet.parse("192.168.0.10/24").overlaps(Ipv4Subnet.parse("192.168.0.0/16")));
        assertTrue(Ipv4Subnet.parse("10.8.0.2/8").overlaps(Ipv4Subnet.parse("10.200.3.4/24")));
        assertFalse(Ipv4Subnet.parse("192.168.1.10/24").overlaps(Ipv4Subnet.parse("192.168.0.10/24")));
        assertFalse(Ipv4Subnet.parse("198.18.1.1/24").overlaps(Ipv4Subnet.parse("198.19.2.1/24")));
        assertTrue(Ipv4Subnet.parse("1.2.3.4/0").overlaps(Ipv4Subnet.parse("200.1.1.1/32")));
        assertFalse(Ipv4Subnet.parse("10.0.0.1/32").overlaps(Ipv4Subnet.parse("10.0.0.2/32")));
    }

    @Test
    void textForms() {
        Ipv4Subnet subnet = Ipv4Subnet.parse("192.168.1.102/24");
        assertEquals("192.168.1.102", subnet.addressText());
        assertEquals("192.168.1.0/24", subnet.networkText());
        assertEquals(
                "255.255.255.255/32", Ipv4Subnet.parse("255.255.255.255/32").toString());
        assertTrue(subnet.contains(Ipv4Subnet.parse("192.168.1.7/32").address()));
    }

    @Test
    void literalsAreParsedWithoutDns() {
        assertTrue(Ipv4Subnet.isIpv4Literal("10.0.0.1"));
        for (String bad : new String[] {"10.0.0", "10.0.0.256", "a.b.c.d", "10..0.1", "localhost", "1.2.3.4.5", ""}) {
            assertFalse(Ipv4Subnet.isIpv4Literal(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("10.0.0.1/33"));
    }
}
