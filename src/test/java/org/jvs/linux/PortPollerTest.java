package org.jvs.linux;

import org.jvs.net.FrameHandler;
import org.jvs.net.PacketPort;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortPollerTest {

    @Test
    void shouldTimeOutWhenNoPortIsReadableAndSkipUnpollablePorts() throws Exception {
        try (NetlinkSocket quiet = NetlinkSocket.open(0);
             PortPoller poller = new PortPoller(List.of(new FakePort(-1), new FakePort(quiet.fd())))) {
            assertEquals(1, poller.size());
            long startNs = System.nanoTime();
            assertEquals(0, poller.await(30));
            assertTrue(System.nanoTime() - startNs >= 25_000_000L, "await returned before its timeout");
            assertFalse(poller.readable(0));
        }
    }

    @Test
    void shouldReportReadablePort() throws Exception {
        try (NetlinkSocket answering = NetlinkSocket.open(0);
             PortPoller poller = new PortPoller(List.of(new FakePort(answering.fd())))) {
            // a dump request makes the kernel queue an answer on the socket
            java.lang.foreign.MemorySegment request = java.lang.foreign.Arena.ofAuto().allocate(64);
            int length = Rtnetlink.encodeDumpRequest(request, Rtnetlink.RTM_GETLINK, 1);
            assertEquals(length, Native.sendto(answering.fd(), request, length, 0, MemorySegment.NULL, 0));
            assertEquals(1, poller.await(2_000));
            assertTrue(poller.readable(0));
        }
    }

    @Test
    void shouldWakeAWaitOnItsDoorbellAndClearIt() throws Exception {
        try (NetlinkSocket quiet = NetlinkSocket.open(0);
             PortPoller poller = new PortPoller(List.of(new FakePort(quiet.fd())))) {
            poller.ring();
            poller.ring();
            long startNs = System.nanoTime();
            assertEquals(1, poller.await(5_000), "a ring before the wait is not lost");
            assertTrue(System.nanoTime() - startNs < 1_000_000_000L, "answered at once");
            assertFalse(poller.readable(0), "no port had input");
            assertEquals(0, poller.await(20), "both rings were answered by the one wake-up");

            Thread ringer = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                poller.ring();
            });
            ringer.start();
            startNs = System.nanoTime();
            assertEquals(1, poller.await(10_000), "a ring from another thread wakes the wait");
            assertTrue(System.nanoTime() - startNs < 5_000_000_000L, "long before the timeout");
            ringer.join();
        }
    }

    private record FakePort(int pollFd) implements PacketPort {
        @Override
        public int ifindex() {
            return 0;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public long[] counters() {
            return new long[org.jvs.net.PortCounter.COUNT];
        }

        @Override
        public int receive(FrameHandler handler, int limit) {
            return 0;
        }

        @Override
        public boolean send(MemorySegment frame, long offset, int length, int flags) {
            return false;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
