package org.sipbridge.config.schema;

/**
 * The values a setting accepts. Typed limits carry their bounds, so the generated docs and the
 * validator read the same numbers; {@link Prose} is for rules that are only described in words
 * (formats, cross-key rules checked in code).
 */
public sealed interface Limit permits Limit.IntRange, Limit.Length, Limit.Prose {

    /** How docs/configuration.md words the accepted values. */
    String prose();

    /**
     * A whole number in {@code min..max}. {@code atLeastKey}, when not null, names another setting
     * whose value is a further lower bound (the docs then read {@code t1Ms–40000}); {@code note}
     * is appended to the prose.
     */
    record IntRange(int min, int max, String atLeastKey, String note) implements Limit {

        public static final IntRange PORT = of(1, 65535);

        public static IntRange of(int min, int max) {
            return new IntRange(min, max, null, "");
        }

        public static IntRange of(int min, int max, String note) {
            return new IntRange(min, max, null, note);
        }

        public boolean contains(int value) {
            return value >= min && value <= max;
        }

        @Override
        public String prose() {
            String low =
                    atLeastKey == null ? Integer.toString(min) : atLeastKey.substring(atLeastKey.lastIndexOf('.') + 1);
            return low + "–" + max + note;
        }
    }

    /**
     * A string of {@code min..max} characters; {@code min} is 0 or 1 (0 = may be empty, worded as
     * "empty, or ..." when {@code saysEmpty}).
     */
    record Length(int min, int max, boolean saysEmpty, String note) implements Limit {

        public static Length upTo(int max) {
            return new Length(0, max, false, "");
        }

        public static Length emptyOrUpTo(int max) {
            return new Length(0, max, true, "");
        }

        public static Length required(int max) {
            return new Length(1, max, false, "");
        }

        public Length withNote(String text) {
            return new Length(min, max, saysEmpty, text);
        }

        @Override
        public String prose() {
            String bounds = min > 0 ? min + "–" + max + " characters" : "up to " + max + " characters";
            return (saysEmpty ? "empty, or " : "") + bounds + note;
        }
    }

    /** Accepted values described in words only. */
    record Prose(String text) implements Limit {
        @Override
        public String prose() {
            return text;
        }
    }
}
