package org.sipbridge.config.schema;

/** The JSON shape of a setting's value. */
public enum SettingType {
    BOOLEAN("true or false"),
    INTEGER("a whole number"),
    STRING("a string"),
    STRING_LIST("a list of strings"),
    STRING_MAP("an object of strings"),
    OBJECT_LIST("a list of objects");

    private final String description;

    SettingType(String description) {
        this.description = description;
    }

    /** How a validation message names this shape ("expected a whole number"). */
    public String description() {
        return description;
    }
}
