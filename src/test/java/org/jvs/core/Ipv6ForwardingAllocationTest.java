package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.net.FrameHandler;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.Ipv6Rig.CLIENT6;
import static org.jvs.core.Ipv6Rig.LIP4;
import static org.jvs.core.Ipv6Rig.LIP6;
import static org.jvs.core.Ipv6Rig.RS6;
import static org.jvs.core.Ipv6Rig.RS6_MAC;
import static org.jvs.core.Ipv6Rig.VIP6;
import static org.jvs.core.Ipv6Rig.clientFrame;
import static org.jvs.core.Ipv6Rig.packet;
import static org.jvs.core.Ipv6Rig.serverFrame;

/**
 * Every IPv6 forwarding path, once its connection exists, allocates nothing per packet (as SteadyStateAllocationTest
 * for IPv4): the client's packets and, where they come back through the director, the replies.
 */
class Ipv6ForwardingAllocationTest {
    private static final int ROUNDS = 20_000;
    private static final int WARM_UP_ROUNDS = 500;
    /** Far below one object per round: leaves room for a compilation's stray allocation. */
    private static final long SLACK_BYTES = 16 * 1024;

    enum Path {
        NAT66(ForwardingMethod.MASQ, true), DR(ForwardingMethod.ROUTE, true), TUN_6IN6(ForwardingMethod.TUNNEL, true),
        TUN_6IN4(ForwardingMethod.TUNNEL, false), FULLNAT66(ForwardingMethod.FULLNAT, true),
        NAT64(ForwardingMethod.FULLNAT, false);

        final ForwardingMethod method;
        final boolean ipv6Server;

        Path(ForwardingMethod method, boolean ipv6Server) {
            this.method = method;
            this.ipv6Server = ipv6Server;
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void shouldForwardWithoutAllocating(Path path) throws ControlException {
        DiscardingSink sink = new DiscardingSink();
        Ipv6Rig rig = new Ipv6Rig(sink);
        int localPort = connect(rig, path);
        Frame data = new Frame(clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).payloadLength(100)), 0);
        Frame reply = reply(path, localPort, 100, 0);

        assertNoAllocation(rig, sink, data, reply);
    }

    /** A super-packet both ways where the way out needs it cut: IPv6 tunnels and NAT64. */
    @ParameterizedTest
    @EnumSource(value = Path.class, names = {"TUN_6IN6", "TUN_6IN4", "NAT64"})
    void shouldCutSuperPacketsWithoutAllocating(Path path) throws ControlException {
        DiscardingSink sink = new DiscardingSink();
        Ipv6Rig rig = new Ipv6Rig(sink);
        int localPort = connect(rig, path);
        Frame data = new Frame(clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).payloadLength(8000)),
                FrameHandler.tcpSegmentation(1440));
        Frame reply = reply(path, localPort, 8000, FrameHandler.tcpSegmentation(1460));

        assertNoAllocation(rig, sink, data, reply);
        assertThat(rig.count(Counter.SEGMENTED_GSO_FRAMES)).isPositive();
    }

    /** The service of {@code path} and its connection from CLIENT6:40000; returns the connection's local port. */
    private static int connect(Ipv6Rig rig, Path path) throws ControlException {
        int port = path.method.translatesReplies() ? 8080 : 80;
        ServiceKey key = rig.service(Protocol.TCP, path.ipv6Server ? IpAddress.ofIpv6(RS6) : IpAddress.ofIpv4(RS1),
                port, path.method);
        if (path == Path.FULLNAT66) {
            rig.localAddress(key, IpAddress.ofIpv6(LIP6));
        } else if (path == Path.NAT64) {
            rig.localAddress(key, IpAddress.ofIpv4(LIP4));
        }
        new Frame(clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).tcpFlags(TcpHeader.SYN)), 0)
                .feed(rig.director, CLIENT_SIDE);
        int id = rig.director.connections().lookupIn6(Protocol.TCP, CLIENT6.hi(), CLIENT6.lo(), 40000, VIP6.hi(),
                VIP6.lo(), 80);
        return rig.director.connections().localPort(id);
    }

    /** Rounds of {@code data} (and {@code reply} where there is one) send as much as the first did, allocating nothing. */
    private static void assertNoAllocation(Ipv6Rig rig, DiscardingSink sink, Frame data, Frame reply) {
        Runnable round = () -> {
            data.feed(rig.director, CLIENT_SIDE);
            if (reply != null) {
                reply.feed(rig.director, SERVER_SIDE);
            }
        };
        long firstBefore = sink.frames();
        round.run();
        long framesPerRound = sink.frames() - firstBefore;
        for (int i = 1; i < WARM_UP_ROUNDS; i++) {
            round.run();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sentBefore = sink.frames();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            round.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated over %d rounds", ROUNDS).isLessThan(SLACK_BYTES);
        assertThat(framesPerRound).isGreaterThanOrEqualTo(reply != null ? 2L : 1L);
        assertThat(sink.frames() - sentBefore).isEqualTo(framesPerRound * ROUNDS);
    }

    /** The real server's reply when it comes back through the director: NAT66, full NAT, NAT64. */
    private static Frame reply(Path path, int localPort, int payloadLength, int flags) {
        return switch (path) {
            case NAT66 -> new Frame(serverFrame(packet(Protocol.TCP, RS6, 8080, CLIENT6, 40000)
                    .payloadLength(payloadLength), RS6_MAC), flags);
            case FULLNAT66 -> new Frame(serverFrame(packet(Protocol.TCP, RS6, 8080, LIP6, localPort)
                    .payloadLength(payloadLength), RS6_MAC), flags);
            case NAT64 -> new Frame(Frames.withMacs(new FrameBuilder().source(RS1).destination(LIP4)
                    .ports(8080, localPort).payloadLength(payloadLength).bytes(), SERVER_SIDE_MAC, RS1_MAC), flags);
            default -> null;
        };
    }

    /** A frame kept pristine and copied into a working segment before each feed, the director rewriting in place. */
    private static final class Frame {
        final MemorySegment pristine;
        final MemorySegment working;
        final int length;
        final int flags;

        /** {@code flags}: the receive path's handler flags (a super-packet's segment size). */
        Frame(byte[] bytes, int flags) {
            length = bytes.length;
            this.flags = flags;
            pristine = Arena.ofAuto().allocate(length, 8);
            working = Arena.ofAuto().allocate(length, 8);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, pristine, 0, length);
        }

        void feed(Director director, int ifindex) {
            MemorySegment.copy(pristine, 0, working, 0, length);
            director.onFrame(ifindex, working, 0, length, flags);
        }
    }
}
