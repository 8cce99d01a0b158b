package org.sipbridge.sip.calls;

import javax.sip.Dialog;
import org.sipbridge.sip.Sender;
import org.sipbridge.sip.Side;

/**
 * One leg of a call: the dialog with the phone (LAN) or with the PBX (VPN). The dialog is set once
 * the leg's first INVITE transaction exists and changes only on an authentication retry.
 */
final class Leg {

    final Side side;
    final Sender sender;
    volatile Dialog dialog;
    /** CSeq of the last INVITE the bridge sent on this leg, for the ACK of its 2xx. */
    volatile long inviteCseq;
    /** A 2xx to the bridge's INVITE on this leg has come and its ACK has not gone out yet. */
    volatile boolean unackedAnswer;

    Leg(Side side, Sender sender) {
        this.side = side;
        this.sender = sender;
    }

    boolean isLan() {
        return "lan".equals(side.name());
    }

    /** Who is at the far end of this leg, for the call's timeline. */
    String party() {
        return isLan() ? "phone" : "pbx";
    }
}
