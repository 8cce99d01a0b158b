package org.sipbridge.daemon.tray;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.io.File;
import javax.imageio.ImageIO;

/** Saves the whole X screen (of $DISPLAY) as a PNG: a screenshot taken from outside the tray's process. */
public final class ScreenGrab {

    public static void main(String[] args) throws Exception {
        Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        ImageIO.write(new Robot().createScreenCapture(screen), "png", new File(args[0]));
    }
}
