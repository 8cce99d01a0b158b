package org.sipbridge.sip.servers;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipbridge.config.ServerAddress;
import org.sipbridge.config.Transport;
import org.sipbridge.sip.Exchange;
import org.sipbridge.sip.Hops;
import org.sipbridge.sip.Sender;
import org.sipbridge.sip.stack.SipStackFactory.Factories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings every server of the registration group with OPTIONS: keeps the VPN path and any NAT or
 * firewall state warm, measures round-trip times, and finds when a failed server is back so the
 * bridge can fail back to it.
 */
public final class OptionsProber {

    private static final Logger log = LoggerFactory.getLogger(OptionsProber.class);

    private final Factories sip;
    private final Sender sender;
    private final RegistrationGroup group;
    private final Supplier<Transport> transport;
    private final ScheduledExecutorService scheduler;
    private final long intervalMs;
    private ScheduledFuture<?> task;
    /** Servers with a probe on its way, so a burst of suspicion sends one probe, not one per request. */
    private final java.util.Set<ServerAddress> probing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private boolean stopped;

    public OptionsProber(
            Factories sip,
            Sender sender,
            RegistrationGroup group,
            Supplier<Transport> transport,
            ScheduledExecutorService scheduler,
            long intervalMs) {
        this.sip = sip;
        this.sender = sender;
        this.group = group;
        this.transport = transport;
        this.scheduler = scheduler;
        this.intervalMs = intervalMs;
    }

    public synchronized void start() {
        stopped = false;
        task = scheduler.schedule(this::probeAll, 0, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        stopped = true;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Probes {@code server} now (it is suspect), unless a probe of it is already on its way. */
    public void probeSoon(ServerAddress server) {
        if (!probing.add(server)) {
            return;
        }
        scheduler.execute(() -> {
            try {
                probe(server);
            } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                probing.remove(server);
                log.warn("Could not probe {}", server, e);
            }
        });
    }

    /** Probes every server, then again after the interval; a third of it while a server is down. */
    private void probeAll() {
        for (ServerAddress server : new ArrayList<>(group.servers())) {
            try {
                probe(server);
            } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                log.warn("Could not probe {}", server, e);
            }
        }
        long next = group.problems().isEmpty() ? intervalMs : Math.max(1000, intervalMs / 3);
        synchronized (this) {
            if (!stopped) {
                task = scheduler.schedule(this::probeAll, next, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void probe(ServerAddress server) throws ParseException, InvalidArgumentException {
        Transport t = transport.get();
        SipURI target = sip.addresses().createSipURI(null, server.host());
        target.setPort(server.port());
        if (t != Transport.UDP) {
            target.setTransportParam(t.key());
        }
        SipURI self = sip.addresses().createSipURI("sipbridge", sender.side().address());
        ViaHeader via = Hops.via(sip, sender.side(), t);
        CallIdHeader callId = sender.side().provider().getNewCallId();
        Request options = sip.messages()
                .createRequest(
                        target,
                        Request.OPTIONS,
                        callId,
                        sip.headers().createCSeqHeader(1L, Request.OPTIONS),
                        sip.headers()
                                .createFromHeader(
                                        sip.addresses().createAddress(self), Long.toHexString(System.nanoTime())),
                        sip.headers().createToHeader(sip.addresses().createAddress(target), null),
                        new ArrayList<>(List.of(via)),
                        sip.headers().createMaxForwardsHeader(70));
        long sentAt = System.nanoTime();
        sender.send(options, new Exchange() {
            @Override
            public void onResponse(Response response, ClientTransaction transaction) {
                if (response.getStatusCode() < 200) {
                    return;
                }
                probing.remove(server);
                if (response.getStatusCode() == Response.SERVICE_UNAVAILABLE) {
                    group.failed(server, "503 to OPTIONS");
                } else {
                    group.probed(server, (System.nanoTime() - sentAt) / 1_000_000);
                }
            }

            @Override
            public void onNoAnswer(ClientTransaction transaction, String why) {
                probing.remove(server);
                group.failed(server, "no answer to OPTIONS: " + why);
            }
        });
    }
}
