package org.sipbridge.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;

/** The version and build time stamped into the jar's manifest by the build. */
record Version(String version, String buildTime) {

    /** The licence the build declares, for Status › About. */
    String license() {
        String declared = manifestEntry("Bundle-License");
        return declared.isEmpty() ? "not declared" : declared;
    }

    static Version current() {
        Package pkg = Version.class.getPackage();
        String version = pkg.getImplementationVersion() == null ? "dev" : pkg.getImplementationVersion();
        return new Version(version, manifestEntry("Build-Time"));
    }

    private static String manifestEntry(String name) {
        URL location = Version.class.getResource("/META-INF/MANIFEST.MF");
        if (location == null) {
            return "";
        }
        try (InputStream in = location.openStream()) {
            String value = new Manifest(in).getMainAttributes().getValue(name);
            return value == null ? "" : value;
        } catch (IOException e) {
            return "";
        }
    }
}
