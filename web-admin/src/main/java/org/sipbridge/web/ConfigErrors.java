package org.sipbridge.web;

import java.util.List;
import org.sipbridge.config.validation.ConfigProblem;

/**
 * The 400 answer of a refused change: every problem by key ({@code key}, {@code message}), which
 * {@code form.js} shows next to its field.
 */
public record ConfigErrors(List<ConfigProblem> errors) {

    public ConfigErrors {
        errors = List.copyOf(errors);
    }
}
