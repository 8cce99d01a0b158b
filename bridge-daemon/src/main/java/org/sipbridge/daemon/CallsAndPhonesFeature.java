package org.sipbridge.daemon;

import org.sipbridge.daemon.phones.PhoneBook;

/**
 * What the web UI shows of calls and phones: each SIP call joined with its media session
 * ({@code /api/sessions}), the calls' quality history (sampled on the RTP relay's event loop while the bridge runs), and
 * the phones with their calls ({@code /api/phones}).
 */
final class CallsAndPhonesFeature {

    private final MediaFeature media;
    private final QualityHistory qualityHistory;
    private final CallSessions sessions;
    private final PhoneDirectory phones;

    CallsAndPhonesFeature(DaemonContext context, SipFeature sip, MediaFeature media, PhoneBook phoneBook) {
        this.media = media;
        qualityHistory = new QualityHistory(media.allSessions(), context.clock());
        sessions = new CallSessions(sip.calls(), media.allSessions(), context.clock(), qualityHistory);
        phones = new PhoneDirectory(
                phoneBook,
                new PhoneDirectory.Sources(
                        () -> context.store().current().bridge().maxPhones(),
                        sip::registeredPhones,
                        () -> sessions.list("")));
    }

    CallSessions sessions() {
        return sessions;
    }

    PhoneDirectory phones() {
        return phones;
    }

    /** Starts sampling the quality history; after the services started. */
    void start() {
        media.sampleSessionsWith(qualityHistory::sample);
    }

    /** Stops sampling; before the services stop. */
    void stop() {
        media.sampleSessionsWith(() -> {});
    }
}
