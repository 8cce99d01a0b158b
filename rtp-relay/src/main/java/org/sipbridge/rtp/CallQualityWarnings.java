package org.sipbridge.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.contract.service.Reason;
import org.sipbridge.contract.status.StatusDraft;
import org.sipbridge.contract.status.StatusPart;
import org.sipbridge.rtp.quality.CallQuality;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.quality.QualityWarning;

/**
 * Status warnings while a call in progress is beyond the voice guidelines PBX vendors publish (loss
 * under 1 %, jitter under 30 ms, one-way delay under 150 ms): one per call and direction of its audio,
 * with the figures, so a worker sees at a glance why a call sounds bad; gone when the call ends. The media
 * part of the bridge's status.
 */
public final class CallQualityWarnings implements StatusPart {

    private final Supplier<List<SessionSnapshot>> activeSessions;

    public CallQualityWarnings(Supplier<List<SessionSnapshot>> activeSessions) {
        this.activeSessions = activeSessions;
    }

    /** The running relay's calls in progress; none while it is stopped. */
    public static CallQualityWarnings of(Supplier<Optional<RtpRelayService>> relay) {
        return new CallQualityWarnings(
                () -> relay.get().map(RtpRelayService::sessions).orElse(List.of()));
    }

    @Override
    public void addTo(StatusDraft status) {
        status.addAll(reasons());
    }

    public List<Reason> reasons() {
        List<Reason> reasons = new ArrayList<>();
        for (SessionSnapshot session : activeSessions.get()) {
            session.audio().ifPresent(audio -> {
                warn(audio.vpnToLan(), "from the PBX", reasons);
                warn(audio.lanToVpn(), "from the phone", reasons);
            });
        }
        return reasons;
    }

    private static void warn(DirectionSnapshot direction, String from, List<Reason> reasons) {
        CallQuality quality = direction.quality();
        if (quality == null || quality.warnings().isEmpty()) {
            return;
        }
        List<String> beyond =
                quality.warnings().stream().sorted().map(QualityWarning::text).toList();
        reasons.add(Reason.warning(
                "media",
                "A call in progress has " + String.join(", ", beyond) + " in the audio " + from
                        + String.format(
                                Locale.ROOT,
                                " (loss %.1f %%, jitter %.1f ms, one-way delay %.0f ms)",
                                direction.lossPercent(),
                                direction.jitterMs(),
                                quality.oneWayDelayMs()),
                "Voice may break up. Over a VPN: check the home internet line (other traffic, Wi-Fi); the call's page "
                        + "(Status › Sessions) shows each direction's figures over time."));
    }
}
