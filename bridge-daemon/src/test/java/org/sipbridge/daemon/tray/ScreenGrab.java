package org.sipbridge.daemon.tray;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.event.InputEvent;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * A user at the X screen of $DISPLAY, from outside the tray's process: {@code FILE} saves a
 * screenshot as PNG; {@code click X Y left|right} clicks there.
 */
public final class ScreenGrab {

    public static void main(String[] args) throws Exception {
        Robot robot = new Robot();
        if (args[0].equals("click")) {
            robot.mouseMove(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            robot.delay(200);
            int button = args[3].equals("right") ? InputEvent.BUTTON3_DOWN_MASK : InputEvent.BUTTON1_DOWN_MASK;
            robot.mousePress(button);
            robot.delay(100);
            robot.mouseRelease(button);
            robot.waitForIdle();
            return;
        }
        Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        ImageIO.write(robot.createScreenCapture(screen), "png", new File(args[0]));
    }
}
