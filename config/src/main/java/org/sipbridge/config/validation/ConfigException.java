package org.sipbridge.config.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was refused; carries every problem found, not just the first. */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public static ConfigException of(ConfigProblem problem) {
        return new ConfigException(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
