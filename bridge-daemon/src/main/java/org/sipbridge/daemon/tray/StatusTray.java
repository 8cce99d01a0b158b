package org.sipbridge.daemon.tray;

import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.BridgeState;
import org.sipbridge.contract.status.BridgeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tray icon: Ready / Not Ready with the reasons in the tooltip (the same reasons as
 * {@code /api/status}), and a menu with Status, Configuration and Exit. A single daemon thread reads
 * the status snapshot every second, off the event dispatch thread; the icon and tooltip are changed
 * on the EDT, and only when they differ.
 */
public final class StatusTray implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTray.class);
    /** Windows truncates tray tooltips at 127 characters; elsewhere keep it readable. */
    private static final int TOOLTIP_MAX = 127;

    static final long POLL_MS = 1000;

    private final Supplier<BridgeStatus> status;
    private final TrayIcon icon;
    private final Map<BridgeState, BufferedImage> images;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sipbridge-tray");
        t.setDaemon(true);
        return t;
    });
    /** Written by the poller thread only. */
    private String shown = "";

    private StatusTray(Supplier<BridgeStatus> status, Map<BridgeState, BufferedImage> images, TrayIcon icon) {
        this.status = status;
        this.images = images;
        this.icon = icon;
    }

    /**
     * Shows the tray icon when this desktop has a system tray; otherwise logs once why not and returns
     * empty. Never throws: a tray problem must not stop the bridge.
     *
     * @param webUi  the web UI's base URL (e.g. {@code http://127.0.0.1:8080/})
     * @param onExit what the Exit item runs (an orderly shutdown), called off the EDT
     */
    public static Optional<StatusTray> show(Supplier<BridgeStatus> status, URI webUi, Runnable onExit) {
        try {
            if (GraphicsEnvironment.isHeadless()) {
                LOG.info("No desktop (headless): running without a tray icon");
                return Optional.empty();
            }
            if (!SystemTray.isSupported()) {
                LOG.info("This desktop has no system tray: running without a tray icon");
                return Optional.empty();
            }
            SystemTray tray = SystemTray.getSystemTray();
            Map<BridgeState, BufferedImage> images = new EnumMap<>(BridgeState.class);
            for (BridgeState s : BridgeState.values()) { // drawn once, at the size this tray asks for
                images.put(s, TrayIcons.draw(s, tray.getTrayIconSize()));
            }
            StatusTray self = new StatusTray(
                    status, images, new TrayIcon(images.get(BridgeState.NOT_READY), "sipbridge: starting"));
            self.icon.setPopupMenu(menu(webUi, onExit));
            self.icon.addActionListener(e -> Browser.open(webUi)); // double-click: the status page
            EventQueue.invokeAndWait(() -> {
                try {
                    tray.add(self.icon);
                } catch (AWTException e) {
                    throw new IllegalStateException(e);
                }
            });
            self.poller.scheduleWithFixedDelay(self::refresh, 0, POLL_MS, TimeUnit.MILLISECONDS);
            LOG.info("Tray icon shown");
            return Optional.of(self);
        } catch (Exception | LinkageError e) {
            LOG.warn("Could not show the tray icon ({}): running without it", e.toString());
            return Optional.empty();
        }
    }

    /**
     * {@link #show} on a thread of its own, so a slow or absent X server never delays the bridge's
     * start; the tray appears when it is ready.
     */
    public static void showInBackground(Supplier<BridgeStatus> status, URI webUi, Runnable onExit) {
        Thread starter = new Thread(() -> show(status, webUi, onExit), "sipbridge-tray-start");
        starter.setDaemon(true);
        starter.start();
    }

    private static PopupMenu menu(URI webUi, Runnable onExit) {
        PopupMenu menu = new PopupMenu();
        MenuItem statusItem = new MenuItem("Status");
        statusItem.addActionListener(e -> Browser.open(webUi));
        MenuItem config = new MenuItem("Configuration");
        config.addActionListener(e -> Browser.open(webUi.resolve("#/config/bridge")));
        MenuItem exit = new MenuItem("Exit");
        // System.exit from the EDT would wait for the shutdown hook while holding the EDT; use a thread.
        exit.addActionListener(e -> new Thread(onExit, "sipbridge-exit").start());
        menu.add(statusItem);
        menu.add(config);
        menu.addSeparator();
        menu.add(exit);
        return menu;
    }

    private void refresh() {
        try {
            BridgeStatus now = status.get();
            String tooltip = tooltip(now);
            String key = now.state() + "\n" + tooltip;
            if (key.equals(shown)) {
                return;
            }
            shown = key;
            BufferedImage image = images.get(now.state());
            EventQueue.invokeLater(() -> {
                icon.setImage(image);
                icon.setToolTip(tooltip);
            });
        } catch (RuntimeException e) {
            LOG.debug("Tray status update failed", e); // try again next second
        }
    }

    /** "sipbridge: Ready", or "sipbridge: Not Ready — reason; reason", cut to what a tray shows. */
    static String tooltip(BridgeStatus status) {
        String text = status.state() == BridgeState.READY
                ? "sipbridge: Ready"
                : "sipbridge: Not Ready — "
                        + status.reasons().stream().map(Reason::message).collect(Collectors.joining("; "));
        if (!status.warnings().isEmpty()) {
            text += " (warnings: " + status.warnings().size() + ")";
        }
        return text.length() <= TOOLTIP_MAX ? text : text.substring(0, TOOLTIP_MAX - 1) + "…";
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
        } catch (RuntimeException e) {
            LOG.debug("Removing the tray icon failed", e);
        }
    }
}
