package org.sipbridge.lab.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FuzzInputsTest {

    private static final SipSeeds.Addresses LAN =
            new SipSeeds.Addresses("198.18.1.1", "198.18.1.10", "198.18.1.10", "sipbridge.lab");

    @Test
    void anInputIsTheSameForTheSameSeedSideAndIndex() {
        FuzzInputs one = new FuzzInputs(14, FuzzInputs.Side.LAN, LAN);
        FuzzInputs two = new FuzzInputs(14, FuzzInputs.Side.LAN, LAN);
        for (long i = 0; i < 2000; i += 7) {
            assertArrayEquals(one.get(i).bytes(), two.get(i).bytes(), "input " + i);
        }
        assertFalse(Arrays.equals(
                one.get(5).bytes(),
                new FuzzInputs(15, FuzzInputs.Side.LAN, LAN).get(5).bytes()));
    }

    @Test
    void theMixHasEveryKindAndEveryInputFitsADatagram() {
        FuzzInputs inputs = new FuzzInputs(14, FuzzInputs.Side.VPN, LAN);
        Map<FuzzInputs.Kind, Integer> kinds = new EnumMap<>(FuzzInputs.Kind.class);
        for (long i = 0; i < 5000; i++) {
            FuzzInputs.Input input = inputs.get(i);
            kinds.merge(input.kind(), 1, Integer::sum);
            assertTrue(
                    input.bytes().length <= Limits.MAX_DATAGRAM,
                    "input " + i + " is " + input.bytes().length + " bytes");
        }
        assertEquals(3, kinds.size(), kinds.toString());
        assertTrue(
                kinds.get(FuzzInputs.Kind.DHCP) > 1000 && kinds.get(FuzzInputs.Kind.SIP_UDP) > 2500, kinds.toString());
    }

    @Test
    void dhcpHeaderAddressesStayInTheLabOrAreSpecial() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            byte[] packet = DhcpInforms.mutate(DhcpInforms.seed(random, "198.18.1.10"), random);
            for (int field = 12; field <= 24 && packet.length >= field + 4; field += 4) {
                int a = packet[field] & 0xff;
                int b = packet[field + 1] & 0xff;
                boolean zero = a == 0 && b == 0 && packet[field + 2] == 0 && packet[field + 3] == 0;
                boolean broadcast =
                        a == 255 && b == 255 && packet[field + 2] == (byte) 255 && packet[field + 3] == (byte) 255;
                assertTrue(zero || broadcast || (a == 198 && (b == 18 || b == 19)), "packet " + i + " field " + field);
            }
        }
    }
}
