package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;

/**
 * The hot path of several workers allocates nothing either: a NAT reply arriving on the worker that does not own
 * its connection is placed by the steering rules, copied into the owner's inbox, drained there and forwarded;
 * new connections are scheduled with the shared rr position and counted in the shared server loads.
 */
class WorkerHandoffAllocationTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    static final int ROUNDS = 20_000;
    static final int WARM_UP_ROUNDS = 60_000;
    /**
     * As SteadyStateAllocationTest: what the JVM may still charge the thread while C2 compiles; one 16-byte
     * allocation per frame would be 640 000 bytes here.
     */
    static final long JVM_ALLOCATED_BYTES = 4096;

    final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    final Handoff handoff = new Handoff(2, 1 << 20);
    final Director[] directors = new Director[2];

    @Test
    void shouldHandReplyToItsOwnerAndScheduleWithoutAllocating() throws ControlException {
        InMemoryHost host = new InMemoryHost();
        SharedParts parts = SharedParts.recording();
        for (int i = 0; i < 2; i++) {
            directors[i] = new Director(host, new DiscardingSink(), KernelBypass.NONE, 4096);
            DirectorConfig config = new DirectorConfig(directors[i]);
            config.joinWorkers(i, handoff);
            SharedParts shared = i == 0 ? parts : parts.replay();
            config.sharing(shared, c -> {
                c.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
                c.addRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.MASQ, 1, 0, 0));
                return null;
            });
            directors[i].now(1_000_000_000L);
            byte[] client = Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP);
            feed(i, CLIENT_SIDE, Frames.nativeCopy(client), client.length);
            byte[] rs = Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP);
            feed(i, SERVER_SIDE, Frames.nativeCopy(rs), rs.length);
        }
        int port = 40_000;
        while (directors[0].steering().owner(Protocol.TCP, CLIENT, port, VIP, 80) != 1) {
            port++;
        }
        byte[] syn = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(port, 80)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
        feed(1, CLIENT_SIDE, Frames.nativeCopy(syn), syn.length);
        byte[] reply = Frames.withMacs(new FrameBuilder().source(RS1).destination(CLIENT).ports(80, port)
                .tcpFlags(TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC);
        MemorySegment replySegment = Frames.nativeCopy(reply);
        byte[] newConnection = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(1, 80)
                .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);
        MemorySegment synSegment = Frames.nativeCopy(newConnection);

        // until the JIT has compiled the path: while C2 works it charges a few one-off arrays to this thread
        round(replySegment, reply.length, synSegment, newConnection.length, WARM_UP_ROUNDS);
        long before = threads.getCurrentThreadAllocatedBytes();
        round(replySegment, reply.length, synSegment, newConnection.length, ROUNDS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(directors[0].counters().get(Counter.FRAMES_HANDED_OFF)).isGreaterThanOrEqualTo(ROUNDS);
        assertThat(allocated).as("bytes allocated over %d hand-offs and new connections", ROUNDS)
                .isLessThanOrEqualTo(JVM_ALLOCATED_BYTES);
    }

    /** Each round: the reply on the wrong worker, drained by its owner; a new connection scheduled on worker 0. */
    private void round(MemorySegment reply, int replyLength, MemorySegment syn, int synLength, int rounds) {
        for (int i = 0; i < rounds; i++) {
            feed(0, SERVER_SIDE, reply, replyLength);
            directors[1].receiveHandedOff(16);
            // a fresh client port each time, scheduled by whichever worker the frame reached
            int port = 1 + (i & 0x3FF);
            syn.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 34, (byte) (port >>> 8));
            syn.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 35, (byte) port);
            feed(0, CLIENT_SIDE, syn, synLength);
            directors[1].receiveHandedOff(16);
        }
    }

    private void feed(int worker, int ifindex, MemorySegment frame, int length) {
        directors[worker].onFrame(ifindex, frame, 0, length, 0);
    }
}
