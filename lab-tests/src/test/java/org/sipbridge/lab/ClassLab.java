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
 * What the lab tests' JUnit extensions ({@link RegisteredPhoneLab}, {@link BridgeLab}) share: before a class's
 * first test, a fresh working directory and the class's lab started in it under a namespace prefix unique to
 * this JVM; after its last test, the lab closed (which checks that no namespace is left) and the directory
 * removed. JUnit runs a static {@code @RegisterExtension} field's callbacks around the class's own
 * {@code @BeforeAll} and {@code @AfterAll}, so those may use the lab.
 */
abstract class ClassLab implements BeforeAllCallback, AfterAllCallback {

    private final String letters;
    private Path dir;
    private AutoCloseable running;

    /** @param letters the namespace prefix (the pid is appended, so JVMs running at once do not meet) */
    ClassLab(String letters) {
        this.letters = letters;
    }

    /**
     * Starts the class's lab under the namespace prefix {@code prefix} with {@code dir} for its files, closing
     * whatever it started if it fails; closing what it returns stops everything and asserts no namespace is left.
     */
    abstract AutoCloseable start(String prefix, Path dir) throws Exception;

    @Override
    public final void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("sipbridge-lab-" + letters);
        running = start(letters + ProcessHandle.current().pid() % 100000, dir);
    }

    @Override
    public final void afterAll(ExtensionContext context) throws Exception {
        try {
            if (running != null) {
                running.close();
            }
        } finally {
            running = null;
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** The class's working directory: logs, captures and scenarios of its peers. */
    final Path dir() {
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
