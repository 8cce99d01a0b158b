package org.sipbridge.daemon.tray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.sipbridge.contract.status.BridgeState;

/**
 * The two tray images, drawn with Java2D at the size the tray asks for (so they stay crisp from 16 to
 * 32 px without shipping PNGs per size): a green disc with a tick for Ready, a red disc with a cross
 * for Not Ready. The colours are solid in the middle so a screenshot test can recognise them.
 */
public final class TrayIcons {

    public static final Color READY = new Color(0x2E, 0x9E, 0x44);
    public static final Color NOT_READY = new Color(0xD0, 0x34, 0x2C);

    private TrayIcons() {}

    public static BufferedImage draw(BridgeState state, Dimension size) {
        int w = Math.max(16, size.width);
        int h = Math.max(16, size.height);
        int d = Math.min(w, h) - 2;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            int x = (w - d) / 2;
            int y = (h - d) / 2;
            g.setColor(state == BridgeState.READY ? READY : NOT_READY);
            g.fillOval(x, y, d, d);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(Math.max(2f, d / 8f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            if (state == BridgeState.READY) {
                g.drawPolyline(
                        new int[] {x + d * 27 / 100, x + d * 44 / 100, x + d * 74 / 100},
                        new int[] {y + d * 52 / 100, y + d * 69 / 100, y + d * 34 / 100},
                        3);
            } else {
                int a = d * 32 / 100;
                int b = d * 68 / 100;
                g.drawLine(x + a, y + a, x + b, y + b);
                g.drawLine(x + b, y + a, x + a, y + b);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
