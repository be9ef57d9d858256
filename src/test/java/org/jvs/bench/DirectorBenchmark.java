package org.jvs.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.jvs.api.ControlException;
import org.jvs.core.Counter;
import org.jvs.core.Counters;
import org.jvs.core.Director;
import org.jvs.core.DiscardingSink;
import org.jvs.core.Ipv6Rig;
import org.jvs.core.ReplayFrame;
import org.jvs.core.TrafficRig;
import org.jvs.packet.TcpHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import static org.jvs.core.TrafficRig.DR_PORT;
import static org.jvs.core.TrafficRig.NAT_PORT;
import static org.jvs.core.TrafficRig.RS1;
import static org.jvs.core.TrafficRig.TUN_PORT;

/**
 * Frames per second through {@link Director#onFrame} on one thread, one established connection per case, the
 * sink discarding what the director sends. Each operation restores the frame's original bytes first (the
 * director rewrites in place); the restore* cases measure that copy alone. Frame sizes are Ethernet frames
 * without FCS: 64 bytes (10 bytes of TCP payload, 22 of UDP) and 1514 bytes (a 1500-byte IP packet); the NAT66 cases
 * (nat6In, nat6Out) carry the 64-byte case's segment over IPv6, 84 bytes.
 * Run with scripts/bench-jmh.sh, whose gc profiler must show gc.alloc.rate.norm at ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class DirectorBenchmark {
    private static final int CLIENT_PORT = 40_000;
    private static final int SMALL_TCP_PAYLOAD = 10;
    private static final int SMALL_UDP_PAYLOAD = 22;
    private static final int FULL_TCP_PAYLOAD = 1460;

    private Director director;
    private ReplayFrame natIn;
    private ReplayFrame natOut;
    private ReplayFrame directRoute;
    private ReplayFrame tunnel;
    private ReplayFrame udp64;
    private ReplayFrame tcp1500;
    private Director director6;
    private ReplayFrame nat6In;
    private ReplayFrame nat6Out;

    /** Opens one connection per service (the first of each rr service goes to RS1) and checks each case forwards. */
    @Setup
    public void openConnections() throws ControlException {
        TrafficRig rig = new TrafficRig(1024, 1_000_000_000L);
        director = rig.director();
        TrafficRig.tcpFromClient(NAT_PORT, CLIENT_PORT, TcpHeader.SYN, 0).replay(director);
        TrafficRig.tcpFromRealServer(RS1, CLIENT_PORT, TcpHeader.SYN | TcpHeader.ACK, 0).replay(director);
        TrafficRig.tcpFromClient(DR_PORT, CLIENT_PORT, TcpHeader.SYN, 0).replay(director);
        TrafficRig.tcpFromClient(TUN_PORT, CLIENT_PORT, TcpHeader.SYN, 0).replay(director);

        natIn = forwarded(TrafficRig.tcpFromClient(NAT_PORT, CLIENT_PORT, TcpHeader.ACK, SMALL_TCP_PAYLOAD), 64);
        natOut = forwarded(TrafficRig.tcpFromRealServer(RS1, CLIENT_PORT, TcpHeader.ACK, SMALL_TCP_PAYLOAD), 64);
        directRoute = forwarded(TrafficRig.tcpFromClient(DR_PORT, CLIENT_PORT, TcpHeader.ACK, SMALL_TCP_PAYLOAD), 64);
        tunnel = forwarded(TrafficRig.tcpFromClient(TUN_PORT, CLIENT_PORT, TcpHeader.ACK, SMALL_TCP_PAYLOAD), 64);
        udp64 = forwarded(TrafficRig.udpFromClient(CLIENT_PORT, SMALL_UDP_PAYLOAD), 64);
        tcp1500 = forwarded(TrafficRig.tcpFromClient(NAT_PORT, CLIENT_PORT, TcpHeader.ACK, FULL_TCP_PAYLOAD), 1514);

        Ipv6Rig rig6 = new Ipv6Rig(new DiscardingSink());
        rig6.openNat66Connection();
        director6 = rig6.director();
        // 84 bytes: IPv6's header is 20 bytes longer than IPv4's, the same 10 bytes of TCP payload
        nat6In = forwarded(director6, Ipv6Rig.nat66FromClient(SMALL_TCP_PAYLOAD), 84);
        nat6Out = forwarded(director6, Ipv6Rig.nat66FromRealServer(SMALL_TCP_PAYLOAD), 84);
    }

    private ReplayFrame forwarded(ReplayFrame frame, int expectedLength) {
        return forwarded(director, frame, expectedLength);
    }

    private ReplayFrame forwarded(Director target, ReplayFrame frame, int expectedLength) {
        if (frame.length() != expectedLength) {
            throw new IllegalStateException("frame is " + frame.length() + " bytes, expected " + expectedLength);
        }
        long before = forwardedFrames(target);
        frame.replay(target);
        if (forwardedFrames(target) != before + 1) {
            throw new IllegalStateException("the director did not forward the benchmark frame: "
                    + dropReasons(target));
        }
        return frame;
    }

    /** A benchmark of dropped frames would measure the wrong thing: fail the run instead. */
    @TearDown
    public void checkNothingDropped() {
        String drops = (dropReasons(director) + " " + dropReasons(director6)).trim();
        if (!drops.isEmpty()) {
            throw new IllegalStateException("frames were not forwarded: " + drops);
        }
    }

    private static long forwardedFrames(Director director) {
        Counters counters = director.counters();
        return counters.get(Counter.FORWARDED_TO_REAL_SERVER) + counters.get(Counter.FORWARDED_TO_CLIENT);
    }

    private static String dropReasons(Director director) {
        StringBuilder reasons = new StringBuilder();
        Counters counters = director.counters();
        for (int counter = 0; counter < Counter.COUNT; counter++) {
            String name = Counter.of(counter).label();
            if ((name.startsWith("drop_") || name.equals("not_ours")) && counters.get(counter) != 0) {
                reasons.append(name).append('=').append(counters.get(counter)).append(' ');
            }
        }
        return reasons.toString().trim();
    }

    /** Client to real server, NAT, 64-byte TCP frame. */
    @Benchmark
    public void natIn() {
        natIn.replay(director);
    }

    /** Real server to client, NAT, 64-byte TCP frame. */
    @Benchmark
    public void natOut() {
        natOut.replay(director);
    }

    /** Direct routing, 64-byte TCP frame. */
    @Benchmark
    public void directRoute() {
        directRoute.replay(director);
    }

    /** IPIP tunnel, 64-byte TCP frame (78 bytes out). */
    @Benchmark
    public void tunnel() {
        tunnel.replay(director);
    }

    /** Client to real server, NAT, 64-byte UDP frame. */
    @Benchmark
    public void udp64() {
        udp64.replay(director);
    }

    /** Client to real server, NAT, 1514-byte TCP frame. */
    @Benchmark
    public void tcp1500() {
        tcp1500.replay(director);
    }

    /** Client to real server, NAT66, 84-byte TCP frame (the 64-byte case's segment over IPv6). */
    @Benchmark
    public void nat6In() {
        nat6In.replay(director6);
    }

    /** Real server to client, NAT66, 84-byte TCP frame. */
    @Benchmark
    public void nat6Out() {
        nat6Out.replay(director6);
    }

    /** The restore copy alone that every 64-byte case includes. */
    @Benchmark
    public MemorySegment restore64() {
        return natIn.restore();
    }

    /** The restore copy alone that tcp1500 includes. */
    @Benchmark
    public MemorySegment restore1500() {
        return tcp1500.restore();
    }
}
