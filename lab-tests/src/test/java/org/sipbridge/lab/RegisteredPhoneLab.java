package org.sipbridge.lab;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for the call tests' shared set-up: before a class's first test, the namespaces, Kamailio,
 * the bridge daemon and the phone registered through it ({@link LabCall}) in a fresh working directory; after
 * its last test, everything stopped, the namespaces deleted (and checked gone) and the directory removed.
 * <pre>
 * &#64;RegisterExtension
 * static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("cl", "\"media\": {…}");
 * </pre>
 */
final class RegisteredPhoneLab implements BeforeAllCallback, AfterAllCallback {

    private final String letters;
    private final String moreSections;
    private Path dir;
    private LabCall call;

    /** @param letters the namespace prefix (the pid is appended, so JVMs running at once do not meet) */
    RegisteredPhoneLab(String letters) {
        this(letters, "");
    }

    /** @param moreSections more config sections for the bridge, e.g. {@code "media": {…}} */
    RegisteredPhoneLab(String letters, String moreSections) {
        this.letters = letters;
        this.moreSections = moreSections;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("sipbridge-lab-" + letters);
        call = LabCall.registeredPhone(letters, dir, moreSections);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (call != null) {
                call.close();
            }
        } finally {
            call = null;
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    LabCall call() {
        return call;
    }

    LabNetwork lab() {
        return call.lab;
    }

    BridgeDaemon daemon() {
        return call.daemon;
    }

    /** The class's working directory: logs, captures and scenarios of its peers. */
    Path dir() {
        return dir;
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
