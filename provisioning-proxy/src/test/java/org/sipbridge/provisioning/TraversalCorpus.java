package org.sipbridge.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The request targets of {@code traversal-corpus.txt}: each one must be refused with 400. */
public final class TraversalCorpus {

    private TraversalCorpus() {}

    public static List<String> targets() {
        try (InputStream in = TraversalCorpus.class.getResourceAsStream("/traversal-corpus.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The targets that are origin-form paths (the rest are absolute-form URLs). */
    public static List<String> paths() {
        return targets().stream().filter(target -> target.startsWith("/")).toList();
    }
}
