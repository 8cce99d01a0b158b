package org.sipbridge.daemon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.sipbridge.contract.api.CallMedia;
import org.sipbridge.contract.api.CallSession;
import org.sipbridge.daemon.phones.PhoneBook;
import org.sipbridge.web.PhoneList;
import org.sipbridge.web.Phones;

/**
 * {@code /api/phones}: the phone book joined with each phone's calls (from {@code /api/sessions}, by
 * the call's phone address) and the phone limit's figures.
 */
final class PhoneDirectory implements Phones {

    /** Where the figures come from (the running SIP relay's, or zero while it is not running). */
    record Sources(IntSupplier maxPhones, IntSupplier registeredPhones, Supplier<List<CallSession>> calls) {}

    private final PhoneBook book;
    private final Sources sources;

    PhoneDirectory(PhoneBook book, Sources sources) {
        this.book = book;
        this.sources = sources;
    }

    @Override
    public PhoneList list() {
        return new PhoneList(
                sources.maxPhones().getAsInt(),
                sources.registeredPhones().getAsInt(),
                book.refusedPhones(),
                book.lastRefusal(),
                book.phones(callsByAddress()));
    }

    /** Per phone address: its active calls (longest first), then its last ended one. */
    private Map<String, List<PhoneList.Call>> callsByAddress() {
        Map<String, List<CallSession>> active = new HashMap<>();
        Map<String, CallSession> lastEnded = new HashMap<>();
        for (CallSession session : sources.calls().get()) {
            if (session.phoneAddress() == null) {
                continue;
            }
            if (session.ended() == null) {
                active.computeIfAbsent(session.phoneAddress(), a -> new ArrayList<>())
                        .add(session);
            } else {
                lastEnded.merge(
                        session.phoneAddress(), session, (a, b) -> a.ended().isAfter(b.ended()) ? a : b);
            }
        }
        Map<String, List<PhoneList.Call>> byAddress = new HashMap<>();
        active.forEach((address, sessions) -> sessions.stream()
                .sorted(Comparator.comparing(CallSession::started))
                .forEach(s -> byAddress
                        .computeIfAbsent(address, a -> new ArrayList<>())
                        .add(call(s))));
        lastEnded.forEach((address, s) ->
                byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(call(s)));
        return byAddress;
    }

    private static PhoneList.Call call(CallSession s) {
        return new PhoneList.Call(
                s.callId(),
                s.from(),
                s.to(),
                s.outgoing(),
                s.state(),
                s.started(),
                Optional.ofNullable(s.ended()),
                s.durationSec(),
                Optional.ofNullable(s.media()).flatMap(PhoneDirectory::quality));
    }

    /** The audio stream's worse direction; empty until a direction has a quality figure. */
    static Optional<PhoneList.Quality> quality(CallMedia media) {
        Optional<CallMedia.Stream> audio = media.audio();
        if (audio.isEmpty()) {
            return Optional.empty();
        }
        List<CallMedia.Direction> measured = java.util.stream.Stream.of(
                        audio.get().lanToVpn(), audio.get().vpnToLan())
                .filter(d -> d != null && d.quality() != null)
                .toList();
        if (measured.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PhoneList.Quality(
                measured.stream().mapToDouble(d -> d.quality().mos()).min().orElseThrow(),
                measured.stream()
                        .mapToDouble(CallMedia.Direction::lossPercent)
                        .max()
                        .orElseThrow(),
                measured.stream()
                        .mapToDouble(CallMedia.Direction::jitterMs)
                        .max()
                        .orElseThrow(),
                Optional.ofNullable(audio.get().roundTripMs())));
    }
}
