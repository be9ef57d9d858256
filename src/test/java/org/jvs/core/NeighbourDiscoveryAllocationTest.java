package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.jvs.net.KernelBypass;
import org.jvs.packet.NeighborMessage;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.NeighbourDiscoveryFrames.DIRECTOR_MAC;
import static org.jvs.core.NeighbourDiscoveryFrames.ECHO_REPLY;
import static org.jvs.core.NeighbourDiscoveryFrames.ECHO_REQUEST;
import static org.jvs.core.NeighbourDiscoveryFrames.NEIGHBOUR;
import static org.jvs.core.NeighbourDiscoveryFrames.SOLICITATION;
import static org.jvs.core.NeighbourDiscoveryFrames.VIP;
import static org.jvs.core.NeighbourDiscoveryFrames.changed;
import static org.jvs.core.NeighbourDiscoveryFrames.dadProbe;
import static org.jvs.core.NeighbourDiscoveryFrames.unsolicited;

/**
 * Neighbour Discovery allocates nothing per frame, as SteadyStateAllocationTest checks for the IPv4 path: a
 * solicitation answered, a DAD probe defended, an invalid one counted, a neighbour's MAC replaced by an unsolicited
 * advertisement (its held frames looked for), a frame sent to a resolved neighbour and one held for a neighbour that
 * never answers (solicited again every {@link Egress#ARP_RETRY_NS}, the oldest held frames dropped), and an IPv6
 * frame that is not ND.
 */
class NeighbourDiscoveryAllocationTest {
    private static final int ROUNDS = 50_000;
    /** Long enough for compilation to settle: the held-frame scans run hot only once the ring is full. */
    private static final int WARM_UP_ROUNDS = 10_000;
    /** Far below one object per round (16 bytes x ROUNDS): leaves room for a compilation's stray allocation. */
    private static final long SLACK_BYTES = 16 * 1024;
    private static final long ROUND_NS = Egress.ARP_RETRY_NS / 2;
    private static final Ipv6 SILENT = Ipv6.parse("2001:db8::dead");

    private final InMemoryHost host = new InMemoryHost(DIRECTOR_MAC);
    private final DiscardingSink sink = new DiscardingSink();
    private final Director director = new Director(host, sink, KernelBypass.NONE, 1024);
    private final MemorySegment solicitation = Frames.nativeCopy(SOLICITATION);
    private final MemorySegment dad = Frames.nativeCopy(dadProbe(VIP));
    private final MemorySegment invalid = Frames.nativeCopy(changed(SOLICITATION, (ip, message) -> ip.hopLimit(64)));
    private final MemorySegment[] overrides = {
        Frames.nativeCopy(unsolicited(0x02_00_00_00_0a_01L, NeighborMessage.OVERRIDE)),
        Frames.nativeCopy(unsolicited(0x02_00_00_00_0a_02L, NeighborMessage.OVERRIDE)),
    };
    private final MemorySegment echoRequest = Frames.nativeCopy(ECHO_REQUEST);
    private final MemorySegment echoReply = Frames.nativeCopy(ECHO_REPLY);
    /** Full-sized, so the ring the silent neighbour's frames fill holds few of them and each scan of it is short. */
    private final MemorySegment large = Frames.nativeCopy(java.util.Arrays.copyOf(ECHO_REPLY, 1514));
    private long nowNs = 1_000_000_000L;

    @Test
    void shouldAllocateNothingPerNeighbourDiscoveryFrame() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        director.services().add(new VirtualService(Protocol.TCP, VIP, 80, new RoundRobinScheduler()));
        director.now(nowNs);
        director.solicitor().send(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo(), echoReply, 0, ECHO_REPLY.length, 0);
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            round(i);
        }
        Counters counters = director.counters();
        long advertisementsBefore = counters.get(Counter.ND_ADVERTISEMENTS_SENT);
        long solicitationsBefore = counters.get(Counter.ND_SOLICITATIONS_SENT);
        long before = threads.getCurrentThreadAllocatedBytes();

        for (int i = 0; i < ROUNDS; i++) {
            round(i);
        }

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated over %d rounds", ROUNDS).isLessThan(SLACK_BYTES);
        assertThat(counters.get(Counter.ND_ADVERTISEMENTS_SENT) - advertisementsBefore).isEqualTo(2L * ROUNDS);
        assertThat(counters.get(Counter.ND_SOLICITATIONS_SENT) - solicitationsBefore).isEqualTo(ROUNDS / 2);
        assertThat(counters.get(Counter.DROP_ND_INVALID)).isEqualTo(WARM_UP_ROUNDS + ROUNDS);
        assertThat(counters.get(Counter.DROP_NEIGHBOUR_UNRESOLVED)).isPositive();
        assertThat(director.neighbours6().size()).isEqualTo(2);
    }

    private void round(int i) {
        nowNs += ROUND_NS;
        director.now(nowNs);
        feed(solicitation);
        feed(dad);
        feed(invalid);
        feed(overrides[i & 1]);
        feed(echoRequest);
        director.solicitor().send(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo(), echoReply, 0, ECHO_REPLY.length, 0);
        director.solicitor().send(CLIENT_SIDE, SILENT.hi(), SILENT.lo(), large, 0, (int) large.byteSize(), 0);
    }

    private void feed(MemorySegment frame) {
        director.onFrame(CLIENT_SIDE, frame, 0, (int) frame.byteSize(), 0);
    }
}
