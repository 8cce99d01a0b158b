package org.sipbridge.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * Uses the second core while the main thread starts the bridge on its own (issue #19, start-up): one short-lived
 * thread loads, ahead of the main thread, the classes a start loads (the class list the CDS archive is made from,
 * in load order) and the JDK's default TLS context (the config check's supported cipher suites and the TLS
 * listeners need it). It only loads classes, never initialises them, so no static initialiser runs early or on
 * another thread; the main thread then finds them loaded (or waits for the one being loaded). What fails here is
 * ignored: the main thread meets the same failure where it is reported today. The thread ends when the list does.
 */
final class StartupWarmUp implements Runnable {

    /** The class list in the jar, copied from packaging/sipbridge.classlist at build time. */
    static final String CLASS_LIST = "/META-INF/sipbridge/sipbridge.classlist";

    private final ClassLoader loader;
    private final String classList;
    private final boolean tls;

    StartupWarmUp(ClassLoader loader, String classList, boolean tls) {
        this.loader = loader;
        this.classList = classList;
        this.tls = tls;
    }

    /** Starts the warm-up of this jar's start on a daemon thread (it never keeps the JVM alive) and returns it. */
    static Thread begin() {
        Thread thread = new Thread(
                new StartupWarmUp(StartupWarmUp.class.getClassLoader(), CLASS_LIST, true), "startup-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        if (tls) {
            defaultTlsContext();
        }
        loadListedClasses();
    }

    private static void defaultTlsContext() {
        try {
            SSLContext.getDefault();
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            // The config check asks for it next and reports what is wrong.
        }
    }

    /** Returns how many listed classes were loaded. */
    int loadListedClasses() {
        int loaded = 0;
        try (InputStream in = StartupWarmUp.class.getResourceAsStream(classList)) {
            if (in == null) {
                return 0;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String name = className(line);
                if (name != null && load(name)) {
                    loaded++;
                }
            }
        } catch (IOException e) {
            // A warm-up only: the main thread loads what it needs anyway.
        }
        return loaded;
    }

    /**
     * The class a line of a {@code -XX:DumpLoadedClassList} file names ({@code java/lang/Object id: 0}), or null
     * for comments and the archive's lambda and method-handle lines (those start with {@code @}).
     */
    static String className(String line) {
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("@")) {
            return null;
        }
        int end = line.indexOf(' ');
        return (end < 0 ? line : line.substring(0, end)).replace('/', '.');
    }

    private boolean load(String name) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // gone since the list was made, or not loadable here: the main thread never needs it
        }
    }
}
