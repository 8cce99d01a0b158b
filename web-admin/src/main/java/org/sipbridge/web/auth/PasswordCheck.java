package org.sipbridge.web.auth;

import java.util.Optional;
import org.sipbridge.config.AdminSettings;

/** Checks a user name and password against {@code admin.*}, one slow hash per check, bounded by a {@link HashGate}. */
public final class PasswordCheck {

    private final HashGate gate;

    public PasswordCheck(HashGate gate) {
        this.gate = gate;
    }

    /** Whether the login is right; empty when too many hashes are running already (answer 503). */
    Optional<Boolean> valid(AdminSettings admin, String user, String password) {
        return gate.check(() -> {
            // Always hash, so a wrong user name takes as long as a wrong password.
            boolean passwordOk = PasswordHash.matches(password, admin.passwordHash());
            boolean userOk = PasswordHash.same(user, admin.userName());
            return userOk && passwordOk;
        });
    }
}
