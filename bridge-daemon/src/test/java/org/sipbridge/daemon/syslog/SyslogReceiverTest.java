package org.sipbridge.daemon.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipbridge.contract.network.Ipv4Subnet;

class SyslogReceiverTest {

    /** The LAN is 127.0.0.1/32 here, so 127.0.0.2 is a sender outside it on the same machine. */
    private static final Ipv4Subnet LOOPBACK = Ipv4Subnet.parse("127.0.0.1/32");

    @Test
    void realDatagramsBecomeLinesWithTheSenderAndGarbageDoesNotStopTheLoop() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        SyslogReceiver receiver = new SyslogReceiver(LOOPBACK, 0, lines::add);
        receiver.start();
        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(phone, receiver, new byte[] {(byte) 0xff, 0, '<', '9', '9', '9', '>', '\n'});
            send(phone, receiver, "<134>Nov 22 10:00:00 phone sip: registered".getBytes(StandardCharsets.UTF_8));
            assertEquals("127.0.0.1 raw \ufffd\\x00<999>", lines.poll(5, TimeUnit.SECONDS)); // 0xff is no UTF-8
            assertEquals(
                    "127.0.0.1 info facility=16 Nov 22 10:00:00 phone sip: registered",
                    lines.poll(5, TimeUnit.SECONDS));
            assertEquals(2, receiver.received());
            assertEquals(1, receiver.malformed());
        } finally {
            receiver.stop();
        }
    }

    @Test
    void aTakenPortFailsStartWithTheAddress() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            SyslogReceiver receiver = new SyslogReceiver(LOOPBACK, taken.getLocalPort(), line -> {});
            BindException e = assertThrows(BindException.class, receiver::start);
            assertEquals(
                    true,
                    e.getMessage().startsWith("cannot listen on UDP 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
        }
    }

    private static void send(DatagramSocket from, SyslogReceiver to, byte[] data) throws Exception {
        from.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), to.port()));
    }

    @Test
    void sendersOutsideTheLanSubnetAndOversizedDatagramsAreDroppedAndCounted() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        SyslogReceiver receiver = new SyslogReceiver(LOOPBACK, 0, lines::add);
        receiver.start();
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"));
                DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(stranger, receiver, "<12>Dec  4 12:00:00 stranger forged: hello".getBytes(StandardCharsets.UTF_8));
            send(
                    phone,
                    receiver,
                    ("<12>Dec  4 12:00:00 phone big: " + "x".repeat(3000)).getBytes(StandardCharsets.UTF_8));
            byte[] limit = ("<12>Dec  4 12:00:00 phone ok: " + "y".repeat(2048))
                    .substring(0, 2048)
                    .getBytes(StandardCharsets.UTF_8);
            send(phone, receiver, limit);
            String kept = lines.poll(5, TimeUnit.SECONDS);
            assertEquals(
                    true,
                    kept != null && kept.startsWith("127.0.0.1 warning facility=1 Dec  4 12:00:00 phone ok: yyy"),
                    kept);
            assertEquals(1, receiver.droppedOutsideLan());
            assertEquals(1, receiver.droppedTooLarge());
            assertEquals(1, receiver.received());
            assertEquals(0, lines.size());
        } finally {
            receiver.stop();
        }
    }

    @Test
    void aFloodFromOneSenderIsCutToItsBurstWhileTimeStandsStill() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        SyslogReceiver receiver = new SyslogReceiver(LOOPBACK, 0, lines::add, () -> 42L);
        receiver.start();
        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int sent = 300;
            for (int i = 0; i < sent; i++) {
                send(phone, receiver, ("<12>flood " + i).getBytes(StandardCharsets.UTF_8));
                // One at a time: a loopback burst can overflow the socket buffer, and then the kernel, not the
                // limit, would drop some.
                for (int wait = 0; wait < 500 && receiver.received() + receiver.droppedRateLimited() <= i; wait++) {
                    Thread.sleep(1);
                }
            }
            assertEquals(SyslogAdmission.BURST_PER_SENDER, receiver.received());
            assertEquals(sent - SyslogAdmission.BURST_PER_SENDER, receiver.droppedRateLimited());
            assertEquals(SyslogAdmission.BURST_PER_SENDER, lines.size());
        } finally {
            receiver.stop();
        }
    }
}
