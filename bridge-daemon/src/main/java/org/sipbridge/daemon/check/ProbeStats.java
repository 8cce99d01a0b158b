package org.sipbridge.daemon.check;

import java.util.List;

/**
 * A burst of SIP OPTIONS to one server: round-trip times of the answered probes, judged against
 * the guidelines PBX vendors publish (one-way delay under 150 ms, jitter under 30 ms, loss under 1 %).
 */
record ProbeStats(int sent, List<Long> rttMicros) {

    static final double MAX_ONE_WAY_MS = 150;
    static final double MAX_JITTER_MS = 30;
    static final double MAX_LOSS_PERCENT = 1;

    double lossPercent() {
        return sent == 0 ? 100 : 100.0 * (sent - rttMicros.size()) / sent;
    }

    double averageRttMs() {
        return rttMicros.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1000.0;
    }

    /** Mean absolute difference of consecutive round trips (the RFC 3550 idea, without smoothing). */
    double jitterMs() {
        if (rttMicros.size() < 2) {
            return 0;
        }
        long sum = 0;
        for (int i = 1; i < rttMicros.size(); i++) {
            sum += Math.abs(rttMicros.get(i) - rttMicros.get(i - 1));
        }
        return sum / (double) (rttMicros.size() - 1) / 1000.0;
    }

    CheckResult judge(String id, String title) {
        if (rttMicros.isEmpty()) {
            return CheckResult.fail(
                    id,
                    title,
                    "no answer to " + sent + " SIP OPTIONS over the VPN",
                    "Check that the VPN is connected and that bridge.servers names the PBX (host and port); "
                            + "ask IT whether the PBX accepts SIP from the VPN.");
        }
        String figures = String.format(
                java.util.Locale.ROOT,
                "RTT %.1f ms, jitter %.1f ms, loss %.0f %% over %d probes",
                averageRttMs(),
                jitterMs(),
                lossPercent(),
                sent);
        if (averageRttMs() / 2 >= MAX_ONE_WAY_MS || jitterMs() >= MAX_JITTER_MS || lossPercent() >= MAX_LOSS_PERCENT) {
            return CheckResult.warn(
                    id,
                    title,
                    figures + ": above the guideline (one-way < 150 ms, jitter < 30 ms, loss < 1 %)",
                    "Calls may sound poor: use a wired connection instead of Wi-Fi, stop large downloads, "
                            + "or ask IT about the VPN's path to the PBX.");
        }
        return CheckResult.pass(id, title, figures);
    }
}
