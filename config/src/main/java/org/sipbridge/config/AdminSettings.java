package org.sipbridge.config;

/**
 * Configuration › Administration: the web UI login. Both blank (the default) means an open UI that is
 * reachable from this computer only. The password is stored only as a salted slow hash.
 */
public record AdminSettings(String userName, String passwordHash) {

    public static AdminSettings defaults() {
        return new AdminSettings("", "");
    }

    public boolean hasCredentials() {
        return !userName.isEmpty();
    }

    @Override
    public String toString() {
        return "AdminSettings[userName=" + userName + ", passwordHash=***]";
    }
}
