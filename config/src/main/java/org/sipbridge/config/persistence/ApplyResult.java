package org.sipbridge.config.persistence;

import java.util.List;

/**
 * What an apply changed: every changed key, and those of them that take effect only after a restart
 * (the web UI shows these in red).
 */
public record ApplyResult(List<String> changedKeys, List<String> restartKeys) {

    public ApplyResult {
        changedKeys = List.copyOf(changedKeys);
        restartKeys = List.copyOf(restartKeys);
    }

    public boolean changed() {
        return !changedKeys.isEmpty();
    }
}
