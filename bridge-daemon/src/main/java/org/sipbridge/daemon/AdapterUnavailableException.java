package org.sipbridge.daemon;

/**
 * A service was not started because its adapter is not chosen or not usable. The status already
 * names the adapter problem, so this is logged but not reported a second time.
 */
final class AdapterUnavailableException extends Exception {

    AdapterUnavailableException(String message) {
        super(message);
    }
}
