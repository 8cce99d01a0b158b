package org.sipbridge.config;

/**
 * Configuration › Authentication: credentials the bridge uses to answer the PBX's digest challenges
 * for one phone user. The password is kept in clear because digest needs it; the config file is
 * therefore owner-readable only.
 */
public record Station(String name, String userName, String password) {

    public static Station empty() {
        return new Station("", "", "");
    }

    @Override
    public String toString() {
        return "Station[name=" + name + ", userName=" + userName + ", password=***]";
    }
}
