package org.sipbridge.config;

/**
 * Central configuration: the HTTPS folder IT serves the bridges' JSON documents from, how often to
 * look, and how to authenticate (HTTP Basic or a bearer token; both empty = none). Local-only: a
 * central document cannot change these.
 */
public record ManagementSettings(String url, int pollSeconds, String userName, String password, String bearerToken) {

    public static ManagementSettings defaults() {
        return new ManagementSettings("", 300, "", "", "");
    }

    public boolean enabled() {
        return !url.isEmpty();
    }

    @Override
    public String toString() {
        return "ManagementSettings[url=" + url + ", pollSeconds=" + pollSeconds + ", userName=" + userName
                + ", password=***, bearerToken=***]";
    }
}
