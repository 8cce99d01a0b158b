package org.sipbridge.daemon.tray;

import java.awt.Desktop;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a URL in the user's default browser: java.awt.Desktop where it can, else xdg-open (Linux desktops without GNOME libraries). */
final class Browser {

    private static final Logger LOG = LoggerFactory.getLogger(Browser.class);

    private Browser() {}

    static void open(URI uri) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(uri);
                return;
            }
            new ProcessBuilder("xdg-open", uri.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("Could not open {} in a browser ({}); open it by hand", uri, e.toString());
        }
    }
}
