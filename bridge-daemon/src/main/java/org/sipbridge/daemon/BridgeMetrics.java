package org.sipbridge.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipbridge.contract.status.BridgeStatus;
import org.sipbridge.contract.status.CallStatus;
import org.sipbridge.contract.status.ServerStatus;
import org.sipbridge.daemon.syslog.SyslogReceiver;
import org.sipbridge.dhcp.DhcpStats;
import org.sipbridge.dhcp.reply.IgnoreReason;
import org.sipbridge.provisioning.transfer.Transfer;
import org.sipbridge.rtp.RelayCounters;
import org.sipbridge.rtp.SessionSnapshot;
import org.sipbridge.rtp.quality.DirectionSnapshot;
import org.sipbridge.rtp.relay.StreamSnapshot;
import org.sipbridge.web.PhoneList;
import org.sipbridge.web.metrics.Metric;
import org.sipbridge.web.metrics.Metric.Sample;
import org.sipbridge.web.metrics.Metrics;

/** {@code GET /metrics}: the bridge's state and counters, read from what each service already reports. */
final class BridgeMetrics implements Metrics {

    /** Where the figures come from; each supplier is cheap and never blocks for long. */
    record Sources(Supplier<BridgeStatus> status, Supplier<List<CallStatus>> calls, Supplier<Long> sipRefused,
                   Supplier<Optional<RelayCounters>> media, Supplier<List<SessionSnapshot>> activeMedia,
                   Supplier<List<SessionSnapshot>> allMedia, Supplier<DhcpStats> dhcp,
                   Supplier<List<Transfer>> transfers, Supplier<Optional<SyslogReceiver>> syslog,
                   Supplier<Long> captureRecordsDropped, Supplier<Map<String, Instant>> certificateExpiry,
                   Supplier<PhoneList> phones) {
    }

    private final Sources sources;
    private final MediaTotals mediaTotals = new MediaTotals();
    private final CallQualityHistograms callQuality = new CallQualityHistograms();

    BridgeMetrics(Sources sources) {
        this.sources = sources;
    }

    @Override
    public List<Metric> collect() {
        List<Metric> all = new ArrayList<>();
        BridgeStatus status = sources.status().get();
        all.add(Metric.gauge("sipbridge_ready", "1 when the bridge is Ready (configured, a server up, the phone registered)",
                status.state() == org.sipbridge.contract.status.BridgeState.READY ? 1 : 0));
        all.add(new Metric("sipbridge_reasons", Metric.Type.GAUGE, "Reasons shown on the status page, by severity",
                List.of(sample("severity", "not_ready", status.reasons().size()),
                        sample("severity", "warning", status.warnings().size()))));
        all.add(Metric.gauge("sipbridge_registrations", "Phone registrations relayed to the PBX", status.registrations().size()));
        sip(all, status);
        phones(all, sources.phones().get());
        media(all);
        dhcp(all, sources.dhcp().get());
        provisioning(all, sources.transfers().get());
        certificates(all, sources.certificateExpiry().get());
        sources.syslog().get().ifPresent(receiver -> {
            all.add(Metric.counter("sipbridge_syslog_received_total", "Syslog datagrams received from the LAN",
                    receiver.received()));
            all.add(Metric.counter("sipbridge_syslog_malformed_total", "Syslog datagrams kept as raw text (no syslog header)",
                    receiver.malformed()));
            all.add(new Metric("sipbridge_syslog_dropped_total", Metric.Type.COUNTER,
                    "Syslog datagrams refused, by reason (outside the LAN subnet, over 2048 bytes, over the rate limit)",
                    List.of(sample("reason", "outside_lan", receiver.droppedOutsideLan()),
                            sample("reason", "too_large", receiver.droppedTooLarge()),
                            sample("reason", "rate_limited", receiver.droppedRateLimited()))));
        });
        return all;
    }

    private void sip(List<Metric> all, BridgeStatus status) {
        List<Sample> up = new ArrayList<>();
        List<Sample> rtt = new ArrayList<>();
        for (ServerStatus server : status.servers()) {
            up.add(sample("server", server.address(), server.state() == ServerStatus.ServerState.UP ? 1 : 0));
            if (server.optionsRttMs() >= 0) {
                rtt.add(sample("server", server.address(), server.optionsRttMs() / 1000.0));
            }
        }
        all.add(new Metric("sipbridge_server_up", Metric.Type.GAUGE, "1 when the server answers (OPTIONS or any response)", up));
        all.add(new Metric("sipbridge_server_options_rtt_seconds", Metric.Type.GAUGE, "Last OPTIONS round-trip time", rtt));
        long active = sources.calls().get().stream().filter(c -> !"ENDED".equals(c.state())).count();
        all.add(Metric.gauge("sipbridge_calls_active", "Calls in progress through the bridge", active));
        all.add(Metric.counter("sipbridge_sip_refused_requests_total",
                "SIP requests refused with 403 (strangers, unregistered users, requests for nothing the bridge owns)",
                sources.sipRefused().get()));
    }

    private static void phones(List<Metric> all, PhoneList phones) {
        all.add(Metric.gauge("sipbridge_phones_registered", "Phones (LAN addresses) with a live registration", phones.registeredPhones()));
        all.add(Metric.gauge("sipbridge_phones_max", "bridge.maxPhones: phones the bridge serves at once", phones.maxPhones()));
        all.add(Metric.gauge("sipbridge_phones_seen", "Phones in the phone book (/api/phones)", phones.phones().size()));
        all.add(Metric.counter("sipbridge_phones_refused_total",
                "REGISTERs of new phones refused with 403 because bridge.maxPhones phones were registered", phones.refusedPhones()));
    }

    private void media(List<Metric> all) {
        sources.media().get().ifPresent(counters -> {
            all.add(Metric.counter("sipbridge_media_sessions_total", "Media sessions allocated for calls", counters.allocated()));
            all.add(Metric.counter("sipbridge_media_sessions_timed_out_total", "Media sessions released for inactivity",
                    counters.timedOut()));
            all.add(Metric.counter("sipbridge_media_allocation_failures_total",
                    "Calls refused media (no free ports, adapter unusable)", counters.allocationFailures()));
            all.add(Metric.gauge("sipbridge_media_free_port_pairs", "RTP/RTCP port pairs free in media.rtpPortRange",
                    counters.freePortPairs()));
        });
        all.add(Metric.counter("sipbridge_capture_records_dropped_total",
                "Diagnostic capture records dropped (writer behind or disk failing); the voice itself is never held up",
                sources.captureRecordsDropped().get()));
        List<SessionSnapshot> allMedia = sources.allMedia().get();
        all.addAll(callQuality.update(allMedia));
        MediaTotals.Counts totals = mediaTotals.update(allMedia);
        all.add(new Metric("sipbridge_rtp_packets_total", Metric.Type.COUNTER, "RTP packets relayed, by direction",
                List.of(sample("direction", "phone_to_pbx", totals.lanToVpnPackets()),
                        sample("direction", "pbx_to_phone", totals.vpnToLanPackets()))));
        all.add(new Metric("sipbridge_rtp_bytes_total", Metric.Type.COUNTER, "RTP bytes relayed, by direction",
                List.of(sample("direction", "phone_to_pbx", totals.lanToVpnBytes()),
                        sample("direction", "pbx_to_phone", totals.vpnToLanBytes()))));
        all.add(new Metric("sipbridge_rtp_packets_lost_total", Metric.Type.COUNTER,
                "RTP packets that never arrived (sequence gaps), by direction",
                List.of(sample("direction", "phone_to_pbx", totals.lanToVpnLost()),
                        sample("direction", "pbx_to_phone", totals.vpnToLanLost()))));
        all.add(Metric.counter("sipbridge_rtp_stray_packets_dropped_total",
                "Media packets from addresses a call did not announce (dropped: no hijacking)", totals.strayDropped()));
        double worstJitterOut = 0;
        double worstJitterIn = 0;
        double worstLossOut = 0;
        double worstLossIn = 0;
        for (SessionSnapshot session : sources.activeMedia().get()) {
            for (StreamSnapshot stream : session.streams()) {
                worstJitterOut = Math.max(worstJitterOut, stream.lanToVpn().jitterMs() / 1000.0);
                worstJitterIn = Math.max(worstJitterIn, stream.vpnToLan().jitterMs() / 1000.0);
                worstLossOut = Math.max(worstLossOut, ratio(stream.lanToVpn()));
                worstLossIn = Math.max(worstLossIn, ratio(stream.vpnToLan()));
            }
        }
        all.add(new Metric("sipbridge_rtp_jitter_seconds", Metric.Type.GAUGE,
                "Highest RFC 3550 interarrival jitter among calls in progress, by direction",
                List.of(sample("direction", "phone_to_pbx", worstJitterOut), sample("direction", "pbx_to_phone", worstJitterIn))));
        all.add(new Metric("sipbridge_rtp_loss_ratio", Metric.Type.GAUGE,
                "Highest packet loss ratio among calls in progress, by direction",
                List.of(sample("direction", "phone_to_pbx", worstLossOut), sample("direction", "pbx_to_phone", worstLossIn))));
    }

    private static double ratio(DirectionSnapshot direction) {
        return direction.lossPercent() / 100.0;
    }

    private static void dhcp(List<Metric> all, DhcpStats stats) {
        all.add(Metric.counter("sipbridge_dhcp_informs_total", "DHCPINFORM requests seen", stats.informsSeen()));
        all.add(Metric.counter("sipbridge_dhcp_answered_total", "DHCPACKs sent with the provisioning URL", stats.answered()));
        List<Sample> ignored = new ArrayList<>();
        for (IgnoreReason reason : IgnoreReason.values()) {
            ignored.add(sample("reason", reason.name().toLowerCase(java.util.Locale.ROOT), stats.ignored(reason)));
        }
        all.add(new Metric("sipbridge_dhcp_ignored_total", Metric.Type.COUNTER, "DHCP packets not answered, by reason", ignored));
        all.add(Metric.counter("sipbridge_dhcp_malformed_total", "DHCP packets that could not be parsed", stats.malformed()));
        all.add(Metric.counter("sipbridge_dhcp_send_failures_total", "DHCPACKs that could not be sent", stats.sendFailures()));
    }

    private static void provisioning(List<Metric> all, List<Transfer> transfers) {
        long running = transfers.stream().filter(t -> !t.finished()).count();
        long failed = transfers.stream().filter(t -> t.finished() && (t.status() >= 400 || t.incomplete())).count();
        all.add(Metric.gauge("sipbridge_provisioning_transfers_running", "Provisioning transfers in progress", running));
        all.add(Metric.gauge("sipbridge_provisioning_transfers_recent_failed",
                "Failed or broken-off transfers among the recent ones (last 50, last 10 minutes)", failed));
        // A phone's first request (<MAC>.cfg) is often a 404 by design: only 5xx (the bridge could not reach or use
        // the provisioning server) and broken-off transfers say the upstream is failing.
        long upstreamFailed = transfers.stream().filter(t -> t.finished() && (t.status() >= 500 || t.incomplete())).count();
        all.add(Metric.gauge("sipbridge_provisioning_upstream_failures_recent",
                "Recent transfers (last 50, last 10 minutes) that failed with 5xx or broke off: the upstream is failing",
                upstreamFailed));
    }

    private static void certificates(List<Metric> all, Map<String, Instant> expiry) {
        List<Sample> samples = new ArrayList<>();
        expiry.forEach((name, notAfter) -> samples.add(sample("certificate", name, notAfter.getEpochSecond())));
        all.add(new Metric("sipbridge_certificate_expiry_timestamp_seconds", Metric.Type.GAUGE,
                "When each certificate the bridge presents or pins stops being valid (Unix time)", samples));
    }

    private static Sample sample(String label, String value, double number) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(label, value);
        return new Sample(labels, number);
    }
}
