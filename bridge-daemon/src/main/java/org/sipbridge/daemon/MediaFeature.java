package org.sipbridge.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.contract.media.MediaUnavailableException;
import org.sipbridge.contract.metrics.MetricSource;
import org.sipbridge.contract.status.StatusPart;
import org.sipbridge.rtp.CallQualityWarnings;
import org.sipbridge.rtp.RtpRelayService;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.capture.DiagnosticCaptures;
import org.sipbridge.rtp.metrics.RtpMetrics;

/**
 * Media: the RTP relay on the LAN and VPN adapters with its diagnostic captures, offered to the SIP side as
 * the contract's {@link MediaRelay}, and its status part and metrics.
 */
final class MediaFeature {

    private final DiagnosticCaptures captures;
    private final AdapterBoundService<RtpRelayService> relay;
    /** Run on the relay's loop every quality interval; nothing until {@link #sampleSessionsWith}. */
    private volatile Runnable sampler = () -> {};

    MediaFeature(DaemonContext context, Path logDir) {
        captures = new DiagnosticCaptures(
                logDir, context.dataDir(), () -> context.store().current().media());
        relay = context.onAdapters(
                "rtp-relay",
                RtpRelayService.START_FAILURE,
                true,
                (lan, vpn) -> new RtpRelayService(
                                lan.address(),
                                vpn.address(),
                                () -> context.store().current().media(),
                                RtpRelayService.DEFAULT_INACTIVITY_TIMEOUT,
                                captures)
                        .learningAround(() -> context.store().current().bridge().servers())
                        .onLoopEvery(Duration.ofMillis(QualityHistory.INTERVAL_MS), () -> sampler.run()));
    }

    /**
     * Has {@code sampler} run on the RTP relay's event loop every {@link QualityHistory#INTERVAL_MS} while the
     * relay runs (including after a restart on new adapters); {@code () -> {}} stops it.
     */
    void sampleSessionsWith(Runnable sampler) {
        this.sampler = sampler;
    }

    AdapterBoundService<RtpRelayService> service() {
        return relay;
    }

    /** What the SIP relay allocates media from; refuses while the RTP relay is not running. */
    MediaRelay mediaRelay() {
        return callId -> relay.running()
                .orElseThrow(() -> new MediaUnavailableException("the RTP relay is not running"))
                .allocate(callId);
    }

    /** Sessions in progress and recently ended, for the sessions API and quality history. */
    Supplier<List<SessionSnapshot>> allSessions() {
        return () -> relay.running().map(RtpRelayService::allSessions).orElse(List.of());
    }

    StatusPart status() {
        return CallQualityWarnings.of(relay::running);
    }

    MetricSource metrics() {
        return RtpMetrics.of(relay::running, captures);
    }

    /** After the relay stopped: ends captures still running. */
    void close() {
        captures.close();
    }
}
