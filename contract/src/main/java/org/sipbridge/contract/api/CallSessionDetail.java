package org.sipbridge.contract.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * {@code GET /api/sessions/{callId}}: the call's fields at the top level, plus its media quality over
 * time ({@code history}, oldest first).
 */
public record CallSessionDetail(@JsonUnwrapped CallSession session, List<QualitySample> history) {

    public CallSessionDetail {
        history = List.copyOf(history);
    }
}
