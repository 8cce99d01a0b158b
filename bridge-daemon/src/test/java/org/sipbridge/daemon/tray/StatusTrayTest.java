package org.sipbridge.daemon.tray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.status.BridgeState;

class StatusTrayTest {

    @Test
    void tooltipNamesTheReasonsWhenNotReady() {
        assertEquals("sipbridge: Ready", StatusTray.tooltip(TrayHarness.status(BridgeState.READY)));
        assertEquals(
                "sipbridge: Not Ready — The phone has not registered with the bridge",
                StatusTray.tooltip(TrayHarness.status(BridgeState.NOT_READY)));
    }

    @Test
    void iconsHaveTheirSolidColourAtEverySize() {
        for (int size : new int[] {16, 22, 24, 32}) {
            BufferedImage ready = TrayIcons.draw(BridgeState.READY, new Dimension(size, size));
            BufferedImage notReady = TrayIcons.draw(BridgeState.NOT_READY, new Dimension(size, size));
            assertEquals(size, ready.getWidth());
            assertTrue(TrayXvfbIT.count(ready, TrayIcons.READY) > size * size / 4, "green disc at " + size);
            assertEquals(0, TrayXvfbIT.count(ready, TrayIcons.NOT_READY));
            assertTrue(TrayXvfbIT.count(notReady, TrayIcons.NOT_READY) > size * size / 4, "red disc at " + size);
        }
    }
}
