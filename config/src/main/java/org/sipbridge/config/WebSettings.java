package org.sipbridge.config;

/** Where the web UI and JSON API listen; this computer only unless IT says otherwise. */
public record WebSettings(String bindAddress, int port) {

    public static WebSettings defaults() {
        return new WebSettings("127.0.0.1", 8080);
    }
}
