package org.jvs.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Ipv6Checksum;
import org.jvs.packet.Ipv6ExtensionHeaders;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.NeighborDiscoveryWriter;
import org.jvs.packet.NeighborMessage;
import org.jvs.packet.UdpHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The IPv6 packet core alone: walking a chain and checksumming a 1500-byte UDP packet, a NAT66 rewrite with its
 * incremental checksum, and validating and answering a Neighbour Solicitation. Run with
 * {@code scripts/bench-jmh.sh Ipv6PacketBenchmark}; gc.alloc.rate.norm must stay ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class Ipv6PacketBenchmark {
    private static final int IP = Ipv6FrameBuilder.IP;
    private static final long ROUTER_MAC = 0x0200_0000_0B02L;

    private final Ipv6Header ip = new Ipv6Header();
    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
    private final NeighborMessage message = new NeighborMessage();
    private final UdpHeader udp = new UdpHeader();
    private final NeighborDiscoveryWriter writer = new NeighborDiscoveryWriter();
    private MemorySegment udp1500;
    private MemorySegment solicitation;
    private MemorySegment answer;
    private long realServerLo = 0x10;

    @Setup
    public void buildFrames() {
        // 40 + 8 (hop-by-hop) + 8 (UDP) + 1444 = 1500 bytes of IPv6
        udp1500 = new Ipv6FrameBuilder().udp().extension(0, 0).payloadLength(1444).segment();
        solicitation = FrameBuilder.copyToNative(new byte[NeighborDiscoveryWriter.FRAME_LENGTH]);
        writer.solicit(solicitation, 0, 0x0200_0000_0A01L, Ipv6FrameBuilder.DOC_HI, 0xA, Ipv6FrameBuilder.DOC_HI, 0xB);
        answer = FrameBuilder.copyToNative(new byte[NeighborDiscoveryWriter.FRAME_LENGTH]);
    }

    /** Extension-header walk and a full UDP checksum over 1452 bytes. */
    @Benchmark
    public int walkAndChecksumUdp1500() {
        ip.wrap(udp1500, IP);
        int length = ip.packetLength();
        headers.walk(udp1500, IP, length);
        long l4 = headers.upperLayerOffset();
        return Ipv6Checksum.udp(udp1500, l4, (int) (IP + length - l4), ip.sourceHi(), ip.sourceLo(),
                ip.destinationHi(), ip.destinationLo());
    }

    /** NAT66 towards a real server: destination address and port rewritten, checksum patched, between two servers. */
    @Benchmark
    public int nat66Rewrite() {
        ip.wrap(udp1500, IP);
        headers.walk(udp1500, IP, ip.packetLength());
        long l4 = headers.upperLayerOffset();
        udp.wrap(udp1500, l4);
        long oldHi = ip.destinationHi();
        long oldLo = ip.destinationLo();
        realServerLo ^= 1;
        ip.destination(Ipv6FrameBuilder.DOC_HI, realServerLo);
        int oldPort = udp.destinationPort();
        int newPort = oldPort ^ 1;
        udp.destinationPort(newPort);
        int checksum = Ipv6Checksum.updateUdp128(udp.checksum(), oldHi, oldLo, Ipv6FrameBuilder.DOC_HI, realServerLo);
        udp.checksum(Ipv6Checksum.updateUdp16(checksum, oldPort, newPort));
        return udp.checksum();
    }

    /** RFC 4861 section 7.1.1 checks on a solicitation and the advertisement answering it. */
    @Benchmark
    public int answerSolicitation() {
        ip.wrap(solicitation, IP);
        message.wrap(solicitation, IP + Ipv6Header.LENGTH);
        int length = ip.payloadLength();
        if (message.validate(ip, length) != NeighborMessage.OK) {
            throw new IllegalStateException("the benchmark solicitation is invalid");
        }
        return writer.answer(answer, 0, solicitation, 0, IP + Ipv6Header.LENGTH, length, ROUTER_MAC,
                NeighborMessage.OVERRIDE);
    }
}
