package org.sipbridge.provisioning.admission;

import java.nio.file.Files;
import java.nio.file.Path;

/** Linux: the entries of /proc/self/fd, and the soft limit from /proc/self/limits. */
final class ProcDescriptorCount implements DescriptorCount {
    static final Path OPEN_DESCRIPTORS = Path.of("/proc/self/fd");
    private static final Path LIMITS = Path.of("/proc/self/limits");

    @Override
    public long open() {
        try (var entries = Files.list(OPEN_DESCRIPTORS)) {
            return entries.count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    @Override
    public long max() {
        try {
            return softLimit(Files.readString(LIMITS));
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The "Max open files" soft limit of a /proc/<pid>/limits text; 0 when absent or unlimited. */
    static long softLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] words =
                        line.substring("Max open files".length()).trim().split("\\s+");
                return words.length > 0 && words[0].chars().allMatch(Character::isDigit) && !words[0].isEmpty()
                        ? Long.parseLong(words[0])
                        : 0;
            }
        }
        return 0;
    }
}
