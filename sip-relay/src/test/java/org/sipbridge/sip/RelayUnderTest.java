package org.sipbridge.sip;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.sipbridge.config.BridgeConfig;

/** Base of loopback tests that start one relay: a data folder for it, and stopping it afterwards. */
public abstract class RelayUnderTest {

    @TempDir
    protected Path dataDir;

    protected SipRelayService relay;

    /**
     * Starts {@link #relay} with {@code config}: the phone side on {@code lan} (adapter eth0), the PBX side
     * on {@code vpn} (tun0), a fake media relay, the system clock and a 60 s probe interval.
     */
    protected void startRelay(BridgeConfig config, String lan, String vpn) throws Exception {
        relay = new SipRelayService(
                () -> config,
                new FakeMediaRelay(lan, vpn),
                Loopback.adapter("eth0", lan),
                Loopback.adapter("tun0", vpn),
                dataDir,
                Clock.systemUTC(),
                60_000);
        relay.start();
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.stop();
        }
    }
}
