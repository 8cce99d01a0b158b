package org.sipbridge.sip.stack;

import gov.nist.core.CommonLogger;
import gov.nist.javax.sip.stack.ReusedBufferMessageProcessorFactory;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.sipbridge.config.ProtocolSettings;

/**
 * Builds the jain-sip stack with every default that matters set explicitly: bounded threads,
 * message size, connections and transactions; CRLF keepalives answered; logging through SLF4J.
 */
public final class SipStackFactory {

    static {
        // Must happen before jain-sip parses anything: otherwise it reaches for log4j.
        CommonLogger.useLegacyLogger = true;
        CommonLogger.legacyLogger = new Slf4jStackLogger();
    }

    /** The factories every part of the relay uses to build messages. */
    public record Factories(MessageFactory messages, HeaderFactory headers, AddressFactory addresses) {}

    private SipStackFactory() {}

    /**
     * A stack named {@code name} whose transaction and dialog timers run on {@code timer} (the relay's
     * timer thread, which the caller owns and shuts down after the stack; see {@link SharedSipTimer};
     * {@link SharedSipTimer#forget} when the stack is stopped).
     */
    public static SipStack create(String name, ProtocolSettings protocols, ScheduledExecutorService timer)
            throws PeerUnavailableException {
        SharedSipTimer.prepare(name, timer);
        return sipFactory().createSipStack(properties(name, protocols));
    }

    public static Factories factories() throws PeerUnavailableException {
        SipFactory factory = sipFactory();
        return new Factories(
                factory.createMessageFactory(), factory.createHeaderFactory(), factory.createAddressFactory());
    }

    private static SipFactory sipFactory() {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        return factory;
    }

    /** The IP traffic class for SIP packets: DSCP in the upper six bits, 0 (best effort) when marking is off. */
    public static int trafficClass(ProtocolSettings protocols) {
        return protocols.sipQosTaggingEnabled() ? protocols.sipQosDscpValue() << 2 : 0;
    }

    static Properties properties(String name, ProtocolSettings protocols) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.IS_BACK_TO_BACK_USER_AGENT", "true");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        // Unbounded by default: a flood must not create threads. With the relay's UDP processor
        // (ReusedBufferMessageProcessorFactory) this only selects jain-sip's pooled path: each UDP listening
        // point's receive thread parses and matches its datagrams itself, one at a time in arrival order
        // (a B2BUA must not reorder a call's responses: with two threads sharing one queue a 200 sent
        // 1-15 ms after its 180 was sometimes matched first and the 180 never reached the caller, #15).
        // jain-sip's own processor would start this many more threads per listening point (#19).
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        // jain-sip's timers on the relay's timer thread rather than a java.util.Timer thread of their own (#19).
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", SharedSipTimer.class.getName());
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        // No jain-sip connection cap: it is one counter for every client that blocks the accept thread
        // when full, and it leaks a slot on every failed TLS handshake, so 64 idle or garbage
        // connections shut every phone out. DscpNetworkLayer's listeners cap per address and per
        // listener instead, and refuse at accept time (ConnectionLimits).
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "-1");
        // A finished transaction lingers for its timers (32 s for a non-INVITE server transaction over
        // UDP) holding its parsed request and response: at a few hundred transactions a second that was
        // ~80 MiB of live objects the serial collector copied and compacted again and again (a sixth of
        // the bridge's CPU, #19). "Normal" keeps only their bytes, which is all a retransmission needs.
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        // No congestion auditor (a Timer thread per UDP listening point dropping datagrams queued > 8 s):
        // the relay's UDP processor queues nothing; waiting datagrams wait in the socket's bounded buffer.
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "0");
        // Where a UDP listening point's datagrams wait while its thread parses (jain-sip's default, named):
        // Linux doubles it to 128 KiB, some 60-100 datagrams, tens of milliseconds of parsing; when full
        // the kernel drops the newest and their senders retransmit, where jain-sip's queue grew unbounded.
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "65536");
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "2000");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "2000");
        // Answer RFC 5626 CRLF keepalive pings (the default, -1, ignores them all).
        p.setProperty("gov.nist.javax.sip.MIN_KEEPALIVE_TIME_SECONDS", "5");
        p.setProperty(
                "gov.nist.javax.sip.CONNECTION_TIMEOUT",
                String.valueOf(protocols.tcp().connectTimeoutSec() * 1000));
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.REJECT_STRAY_RESPONSES", "true");
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", DscpNetworkLayer.class.getName());
        // Unfolds header lines as RFC 3261 says, and keeps the error jain-sip puts in its 400s to one line.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", ParserCorrections.class.getName());

        // A request that came over UDP is answered over UDP, never over a connection its Via asks for.
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", UdpAnswerValve.class.getName());
        p.setProperty(DscpNetworkLayer.TRAFFIC_CLASS, String.valueOf(trafficClass(protocols)));
        // Old defaults are TLSv1/1.1 with suites modern JDKs refuse: always name them.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2,TLSv1.3");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", protocols.tls().mutualAuth() ? "Enabled" : "Disabled");
        p.setProperty(
                "gov.nist.javax.sip.ENABLED_CIPHER_SUITES",
                String.join(",", protocols.tls().cipherSuites()));
        lessWorkPerMessage(p);
        return p;
    }

    /**
     * The settings chosen for CPU per message (#19), in one place: each was measured with
     * lab/bench/sip-bench.sh against Kamailio in the same run (figures in docs/benchmarks.md).
     */
    private static void lessWorkPerMessage(Properties p) {
        // UDP datagrams are received into one reused buffer and copied at their length; jain-sip's own
        // processor allocated 64 KiB per datagram (46 % of all allocated bytes). TCP/TLS are unchanged.
        p.setProperty(
                "gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", ReusedBufferMessageProcessorFactory.class.getName());
    }
}
