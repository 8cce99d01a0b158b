package org.sipbridge.rtp.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipbridge.config.PortRange;
import org.sipbridge.contract.media.MediaUnavailableException;

class PortAllocatorTest {

    @Test
    void handsOutEvenRtpPortsWithRtcpAbove() throws Exception {
        PortAllocator ports = new PortAllocator(new PortRange(16384, 16391));
        assertEquals(4, ports.capacity());
        List<PortPair> pairs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pairs.add(ports.acquire());
        }
        assertEquals(
                List.of(new PortPair(16384), new PortPair(16386), new PortPair(16388), new PortPair(16390)), pairs);
        assertEquals(16391, pairs.get(3).rtcp());
    }

    @Test
    void leavesOutAnOddFirstPortAndALoneLastPort() {
        assertEquals(
                2, new PortAllocator(new PortRange(16385, 16390)).capacity(), "16386/7, 16388/9; 16390 has no RTCP");
    }

    @Test
    void reusesAReleasedPairOnlyAfterAllOthers() throws Exception {
        PortAllocator ports = new PortAllocator(new PortRange(20000, 20005));
        PortPair first = ports.acquire();
        ports.release(first);
        assertEquals(new PortPair(20002), ports.acquire(), "not the pair just released");
        assertEquals(new PortPair(20004), ports.acquire());
        assertEquals(first, ports.acquire(), "the released pair comes back last");
    }

    @Test
    void exhaustionSaysWhichRange() throws Exception {
        PortAllocator ports = new PortAllocator(new PortRange(20000, 20003));
        ports.acquire();
        ports.acquire();
        MediaUnavailableException e = assertThrows(MediaUnavailableException.class, ports::acquire);
        assertTrue(e.getMessage().startsWith("no free RTP ports in 20000-20003"), e.getMessage());
        assertEquals(0, ports.available());
    }

    @Test
    void releasingTwiceOrAForeignPairChangesNothing() throws Exception {
        PortAllocator ports = new PortAllocator(new PortRange(20000, 20003));
        PortPair pair = ports.acquire();
        ports.release(pair);
        ports.release(pair);
        ports.release(new PortPair(30000));
        assertEquals(2, ports.available());
    }

    @Test
    // Thread.yield between acquire and release lets other threads interleave there: the race under test.
    @SuppressWarnings("ThreadPriorityCheck")
    void manyThreadsNeverHoldTheSamePair() throws Exception {
        PortAllocator ports = new PortAllocator(new PortRange(16384, 16384 + 2 * 64 - 1));
        Set<PortPair> held = ConcurrentHashMap.newKeySet();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                start.await();
                int duplicates = 0;
                for (int i = 0; i < 2000; i++) {
                    PortPair pair;
                    try {
                        pair = ports.acquire();
                    } catch (MediaUnavailableException full) {
                        continue;
                    }
                    if (!held.add(pair)) {
                        duplicates++;
                    }
                    Thread.yield();
                    held.remove(pair);
                    ports.release(pair);
                }
                return duplicates;
            }));
        }
        start.countDown();
        int duplicates = 0;
        for (Future<Integer> result : results) {
            duplicates += result.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, duplicates);
        assertEquals(64, ports.available(), "every pair came back");
    }
}
