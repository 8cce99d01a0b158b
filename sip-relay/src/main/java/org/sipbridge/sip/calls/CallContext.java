package org.sipbridge.sip.calls;

import java.time.Clock;
import java.util.function.Supplier;
import org.sipbridge.config.Transport;
import org.sipbridge.contract.media.MediaRelay;
import org.sipbridge.sip.Replies;
import org.sipbridge.sip.Sender;
import org.sipbridge.sip.identity.Admission;
import org.sipbridge.sip.servers.RegistrationGroup;
import org.sipbridge.sip.stack.SipStackFactory.Factories;

/** What the parts of the call relay share: the stack's factories, both sides' senders, policy and clock. */
record CallContext(
        Factories sip,
        Sender toPhone,
        Sender toPbx,
        RegistrationGroup group,
        Admission admission,
        MediaRelay media,
        Supplier<Transport> serverTransport,
        Supplier<Transport> phoneTransport,
        Replies replies,
        Clock clock,
        PhoneTarget phoneTarget) {

    /** Notes a step on the call's timeline, at the clock's now. */
    void note(Call call, String from, String to, String message) {
        call.note(clock, from, to, message);
    }
}
