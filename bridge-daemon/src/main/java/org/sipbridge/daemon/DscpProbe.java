package org.sipbridge.daemon;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.Locale;
import org.sipbridge.contract.status.DscpMarking;

/**
 * Can this OS mark our packets? Sets IP_TOS to EF (0xB8) on a loopback UDP socket and reads it back.
 * Windows accepts the call and ignores it (only a QoS policy marks traffic there), so it is never
 * confirmed on Windows, whatever the read-back says.
 */
final class DscpProbe {

    static final int EF_TOS = 46 << 2;
    static final String WINDOWS_REASON =
            "Windows ignores the marks a program sets (IP_TOS) unless a QoS policy marks its "
                    + "traffic: run sipbridge-qos.ps1 as administrator (the installer does) or ask IT for a Policy-based QoS "
                    + "Group Policy; the bridge cannot see whether one applies.";

    private DscpProbe() {}

    static DscpMarking probe() {
        return probe(System.getProperty("os.name", ""));
    }

    static DscpMarking probe(String osName) {
        if (osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return DscpMarking.unconfirmed(WINDOWS_REASON);
        }
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setOption(StandardSocketOptions.IP_TOS, EF_TOS);
            int back = socket.getOption(StandardSocketOptions.IP_TOS);
            return back == EF_TOS
                    ? DscpMarking.confirmed()
                    : DscpMarking.unconfirmed("The OS accepted DSCP EF (TOS 0xB8) but reads back 0x"
                            + Integer.toHexString(back) + ": packets may leave unmarked.");
        } catch (IOException | UnsupportedOperationException e) {
            return DscpMarking.unconfirmed("Setting DSCP (IP_TOS) failed: " + e.getMessage());
        }
    }
}
