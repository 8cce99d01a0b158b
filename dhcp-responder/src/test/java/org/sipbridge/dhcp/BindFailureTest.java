package org.sipbridge.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class BindFailureTest {

    @Test
    void explainsAPrivilegedPort() {
        assertEquals(
                "cannot listen on 0.0.0.0:67: Permission denied (binding port 67 needs root or CAP_NET_BIND_SERVICE)",
                BindFailure.describe(67, new BindException("Permission denied")));
    }

    @Test
    void readsNettysNativeErrorText() {
        assertEquals(
                "cannot listen on 0.0.0.0:67: Permission denied (binding port 67 needs root or CAP_NET_BIND_SERVICE)",
                BindFailure.describe(67, new IOException("bind(..) failed with error(-13): Permission denied")));
    }

    @Test
    void explainsAPortThatIsTaken() {
        assertEquals(
                "cannot listen on 0.0.0.0:67: Address already in use (another DHCP server runs on this computer)",
                BindFailure.describe(67, new IOException("wrapped", new BindException("Address already in use"))));
    }

    @Test
    void noPrivilegeHintForAnUnprivilegedPort() {
        assertEquals(
                "cannot listen on 0.0.0.0:6767: Permission denied",
                BindFailure.describe(6767, new BindException("Permission denied")));
    }

    @Test
    void passesOtherErrorsThrough() {
        assertEquals(
                "cannot listen on 0.0.0.0:67: Cannot assign requested address",
                BindFailure.describe(67, new BindException("Cannot assign requested address")));
        assertEquals(
                "cannot listen on 0.0.0.0:67: IllegalStateException",
                BindFailure.describe(67, new IllegalStateException()));
    }
}
