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

class SyslogReceiverTest {

    @Test
    void realDatagramsBecomeLinesWithTheSenderAndGarbageDoesNotStopTheLoop() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        SyslogReceiver receiver = new SyslogReceiver(InetAddress.getLoopbackAddress(), 0, lines::add);
        receiver.start();
        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(phone, receiver, new byte[] {(byte) 0xff, 0, '<', '9', '9', '9', '>', '\n'});
            send(phone, receiver, "<134>Nov 22 10:00:00 phone sip: registered".getBytes(StandardCharsets.UTF_8));
            assertEquals("127.0.0.1 raw \ufffd\\x00<999>", lines.poll(5, TimeUnit.SECONDS)); // 0xff is no UTF-8
            assertEquals("127.0.0.1 info facility=16 Nov 22 10:00:00 phone sip: registered", lines.poll(5, TimeUnit.SECONDS));
            assertEquals(2, receiver.received());
            assertEquals(1, receiver.malformed());
        } finally {
            receiver.stop();
        }
    }

    @Test
    void aTakenPortFailsStartWithTheAddress() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            SyslogReceiver receiver = new SyslogReceiver(InetAddress.getLoopbackAddress(), taken.getLocalPort(), line -> { });
            BindException e = assertThrows(BindException.class, receiver::start);
            assertEquals(true, e.getMessage().startsWith("cannot listen on UDP 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    private static void send(DatagramSocket from, SyslogReceiver to, byte[] data) throws Exception {
        from.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), to.port()));
    }
}
