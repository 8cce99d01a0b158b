package org.sipbridge.web;

import java.util.List;
import java.util.Optional;
import org.sipbridge.contract.api.CallSession;
import org.sipbridge.contract.api.CallSessionDetail;

/** The calls through the bridge with their media quality, as the daemon provides them. */
public interface Sessions {

    /** Active calls (longest first), then recently ended ones; only those whose call-id, from or to contains {@code filter}. */
    List<CallSession> list(String filter);

    Optional<CallSessionDetail> get(String callId);

    Sessions NONE = new Sessions() {
        @Override
        public List<CallSession> list(String filter) {
            return List.of();
        }

        @Override
        public Optional<CallSessionDetail> get(String callId) {
            return Optional.empty();
        }
    };
}
