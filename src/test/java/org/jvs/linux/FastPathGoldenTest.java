package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvs.net.FastPath;
import org.jvs.net.IpOutput;
import org.jvs.net.NextHop;
import org.jvs.packet.EthernetHeader;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.xmit.DirectRouteTransmitter;
import org.jvs.xmit.FullNatTransmitter;
import org.jvs.xmit.NatTransmitter;
import org.jvs.xmit.TunnelTransmitter;
import org.jvs.xmit.Verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast path's forwarder against JVS's transmitters: the same frame through the Java transmitter and through the
 * kernel (BPF_PROG_TEST_RUN) must come out byte for byte the same, for every method and direction, TCP and UDP, with
 * random addresses, ports, TTLs and payloads (so the incremental checksums meet their carries), and a UDP checksum
 * of 0; and the frames the director keeps (SYN, FIN, RST, oversize, fragments, options, TTL 1, no entry) are not
 * taken. Root for bpf(2), hence the tag.
 */
@Tag("netns")
class FastPathGoldenTest {
    private static final int TC_ACT_REDIRECT = 7;
    private static final int IFINDEX = 7;
    private static final int MTU = 1500;
    private static final long PORT_MAC = 0x02_00_00_00_00_01L;
    private static final long NEIGHBOUR_MAC = 0x02_00_00_00_00_02L;
    private static final long SENDER_MAC = 0x02_00_00_00_00_03L;
    private static final int FRAMES_PER_CASE = 300;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    private static KernelFastPath kernel;
    private static FastPath flows;

    private static final int DIRECTOR_IP = 0xC612_0001;

    enum Way { NAT_IN, NAT_OUT, DR, FULLNAT_IN, FULLNAT_OUT, TUN }

    @BeforeAll
    static void load() throws Exception {
        kernel = KernelFastPath.attach(new int[0]);
        flows = kernel.worker();
    }

    @AfterAll
    static void close() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Way.class)
    void shouldRewriteAsTheTransmittersDo(Way way) throws Exception {
        Random random = new Random(way.ordinal() * 7919L + 1);
        for (int i = 0; i < FRAMES_PER_CASE; i++) {
            int protocol = i % 2 == 0 ? Protocol.TCP : Protocol.UDP;
            boolean zeroUdpChecksum = protocol == Protocol.UDP && i % 6 == 1;
            int source = random.nextInt();
            int destination = random.nextInt();
            int sourcePort = 1 + random.nextInt(65535);
            int destinationPort = 1 + random.nextInt(65535);
            int newSource = random.nextInt() | 1;
            int newSourcePort = 1 + random.nextInt(65535);
            int newDestination = random.nextInt() | 1;
            int newDestinationPort = 1 + random.nextInt(65535);
            byte[] frame = frame(protocol, source, sourcePort, destination, destinationPort, TCP_ACK | TCP_PSH,
                    random.nextInt(1400), 2 + random.nextInt(254), zeroUdpChecksum, random);
            if (way == Way.TUN) {
                frame[15] = (byte) random.nextInt(); // TOS: CE must leave as ECT(0) outside
                fixIpChecksum(frame);
            }
            byte[] java = frame.clone();
            MemorySegment segment = MemorySegment.ofArray(java);
            Output output = new Output();
            int verdict;
            switch (way) {
                case NAT_IN -> {
                    verdict = new NatTransmitter(output).toRealServer(segment, 0, java.length, newDestination,
                            newDestinationPort);
                    install(protocol, frame, 0, 0, newDestination, newDestinationPort);
                }
                case NAT_OUT -> {
                    verdict = new NatTransmitter(output).toClient(segment, 0, java.length, newSource, newSourcePort);
                    install(protocol, frame, newSource, newSourcePort, 0, 0);
                }
                case DR -> {
                    verdict = new DirectRouteTransmitter(output).toRealServer(segment, 0, java.length, newDestination,
                            destinationPort);
                    install(protocol, frame, 0, 0, 0, 0);
                }
                case FULLNAT_IN -> {
                    verdict = new FullNatTransmitter(output).toRealServer(segment, 0, java.length, newSource,
                            newSourcePort, newDestination, newDestinationPort, 0);
                    install(protocol, frame, newSource, newSourcePort, newDestination, newDestinationPort);
                }
                case TUN -> {
                    verdict = new TunnelTransmitter(output).toRealServer(segment, 0, java.length, newDestination,
                            destinationPort);
                    ByteBuffer b = ByteBuffer.wrap(frame);
                    assertEquals(true, flows.installTunnel(protocol, b.getInt(26), b.getShort(34) & 0xFFFF,
                            b.getInt(30), b.getShort(36) & 0xFFFF, DIRECTOR_IP, newDestination, IFINDEX, PORT_MAC,
                            NEIGHBOUR_MAC, MTU), "installed");
                }
                default -> {
                    verdict = new FullNatTransmitter(output).toClient(segment, 0, java.length, newSource,
                            newSourcePort, newDestination, newDestinationPort, 0);
                    install(protocol, frame, newSource, newSourcePort, newDestination, newDestinationPort);
                }
            }
            assertEquals(Verdict.SENT, verdict, "the Java transmitter sent frame " + i);
            BpfProgram.TestRun run = kernel.forward(frame);
            String what = way + " " + (protocol == Protocol.TCP ? "TCP" : "UDP") + (zeroUdpChecksum ? " (checksum 0)" : "")
                    + " frame " + i;
            assertEquals(TC_ACT_REDIRECT, run.returned(), what + " taken");
            assertEquals(HexFormat.of().formatHex(output.sent), HexFormat.of().formatHex(run.frame()), what);
            flows.remove(protocol, source, sourcePort, destination, destinationPort, new long[FastPath.READ_LENGTH]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "TCP SYN,             6, 2,  100, 64, 0x4000, 5",
            "TCP FIN,             6, 17, 100, 64, 0x4000, 5",
            "TCP RST,             6, 4,  100, 64, 0x4000, 5",
            "SYN-ACK,             6, 18, 100, 64, 0x4000, 5",
            "TTL 1,               6, 16, 100, 1,  0x4000, 5",
            "TCP above the MTU,   6, 16, 1600, 64, 0x4000, 5",
            "UDP above the MTU,  17, 0,  1600, 64, 0x4000, 5",
            "first fragment,     17, 0,  100, 64, 0x2000, 5",
            "IP options,          6, 16, 100, 64, 0x4000, 6",
    })
    void shouldLeaveToTheDirector(String name, int protocol, int tcpFlags, int payload, int ttl, int fragment,
                                  int ihl) throws Exception {
        int client = Ipv4.parse("198.18.0.2");
        int vip = Ipv4.parse("198.18.1.1");
        byte[] frame = frame(protocol, client, 40000, vip, 80, tcpFlags, payload, ttl, false, new Random(1));
        if (fragment != 0x4000) {
            frame[20] = (byte) (fragment >>> 8);
            frame[21] = (byte) fragment;
            fixIpChecksum(frame);
        }
        if (ihl != 5) {
            frame = withIpOption(frame);
        }
        flows.install(protocol, client, 40000, vip, 80, 0, 0, Ipv4.parse("198.19.0.2"), 8080, IFINDEX, PORT_MAC,
                NEIGHBOUR_MAC, MTU);
        try {
            BpfProgram.TestRun run = kernel.forward(frame);
            assertEquals(GuardProgram.TCX_NEXT, run.returned(), name + " goes on to the director");
            assertEquals(HexFormat.of().formatHex(frame), HexFormat.of().formatHex(run.frame()), name + " untouched");
        } finally {
            flows.remove(protocol, client, 40000, vip, 80, new long[FastPath.READ_LENGTH]);
        }
        // the same frame made ordinary (an ACK that fits) is taken: the entry and the frame builder are right
        if (ihl == 5 && fragment == 0x4000) {
            byte[] ordinary = frame(protocol, client, 40000, vip, 80, TCP_ACK, 100, 64, false, new Random(1));
            flows.install(protocol, client, 40000, vip, 80, 0, 0, Ipv4.parse("198.19.0.2"), 8080, IFINDEX, PORT_MAC,
                    NEIGHBOUR_MAC, MTU);
            try {
                assertEquals(TC_ACT_REDIRECT, kernel.forward(ordinary).returned(), "an ordinary frame is taken");
            } finally {
                flows.remove(protocol, client, 40000, vip, 80, new long[FastPath.READ_LENGTH]);
            }
        }
    }

    /**
     * A TCP super-packet (a GSO skb of 3000 bytes of payload: a test run takes at most a page) is the kernel's when its segments fit the egress MTU, as Delivery
     * hands such a packet on whole, and the director's otherwise (it cuts it).
     */
    @ParameterizedTest(name = "segments of {0} bytes: {1}")
    @CsvSource({"1460, taken", "1448, taken", "1461, left", "0, left"})
    void shouldTakeASuperPacketOnlyWhenItsSegmentsFit(int gsoSize, String expected) throws Exception {
        int client = Ipv4.parse("198.18.0.2");
        int vip = Ipv4.parse("198.18.1.1");
        byte[] frame = frame(Protocol.TCP, client, 40000, vip, 80, TCP_ACK, 3000, 64, false, new Random(4));
        flows.install(Protocol.TCP, client, 40000, vip, 80, 0, 0, Ipv4.parse("198.19.0.2"), 8080, IFINDEX, PORT_MAC,
                NEIGHBOUR_MAC, MTU);
        try {
            int returned = kernel.forward(frame, gsoSize).returned();
            assertEquals(expected.equals("taken") ? TC_ACT_REDIRECT : GuardProgram.TCX_NEXT, returned);
        } finally {
            flows.remove(Protocol.TCP, client, 40000, vip, 80, new long[FastPath.READ_LENGTH]);
        }
    }

    /**
     * Through a tunnel the kernel takes what the director would send whole: DF packets whose encapsulation fits the
     * link, and super-packets whose segments fit once shrunk by the outer header (as the director cuts them).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "UDP fitting with its outer header,          17, 1452, 0x4000, 0,    taken",
            "UDP without DF,                              17, 100,  0,      0,    left",
            "UDP too long for its outer header,          17, 1453, 0x4000, 0,    left",
            "TCP too long for its outer header,           6, 1441, 0x4000, 0,    left",
            "super-packet of 1460-byte segments,          6, 3000, 0x4000, 1460, taken",
            "super-packet of 1461-byte segments,          6, 3000, 0x4000, 1461, left",
    })
    void shouldTunnelOnlyWhatFitsWithItsOuterHeader(String name, int protocol, int payload, int fragment, int gsoSize,
                                                     String expected) throws Exception {
        int client = Ipv4.parse("198.18.0.2");
        int vip = Ipv4.parse("198.18.1.1");
        int realServer = Ipv4.parse("198.19.0.2");
        byte[] frame = frame(protocol, client, 40000, vip, 80, TCP_ACK, payload, 64, false, new Random(5));
        frame[20] = (byte) (fragment >>> 8);
        frame[21] = (byte) fragment;
        fixIpChecksum(frame);
        flows.installTunnel(protocol, client, 40000, vip, 80, DIRECTOR_IP, realServer, IFINDEX, PORT_MAC,
                NEIGHBOUR_MAC, MTU);
        try {
            long dropsBefore = kernel.drops();
            BpfProgram.TestRun run = kernel.forward(frame, gsoSize);
            if (expected.equals("left")) {
                assertEquals(GuardProgram.TCX_NEXT, run.returned(), name + " goes on to the director");
                assertEquals(HexFormat.of().formatHex(frame), HexFormat.of().formatHex(run.frame()), name + " untouched");
                return;
            }
            if (gsoSize != 0) {
                // a test run's skb has a GSO size but no GSO type, which bpf_skb_adjust_room refuses (it takes TCP
                // super-packets only, as veth hands them up): the kernel took it, could not forward it, and counted
                // it; the netns tests carry real ones
                assertEquals(FastPathProgram.TC_ACT_SHOT, run.returned(), name + " taken");
                assertEquals(dropsBefore + 1, kernel.drops(), name + ": the drop counted");
                return;
            }
            assertEquals(TC_ACT_REDIRECT, run.returned(), name + " taken");
            assertEquals(dropsBefore, kernel.drops(), name + ": nothing dropped");
            ByteBuffer out = ByteBuffer.wrap(run.frame());
            assertEquals(frame.length + 20, run.frame().length, name + ": 20 bytes longer");
            assertEquals(0x45, out.get(14), "outer IPv4 header");
            assertEquals(frame.length + 20 - 14, out.getShort(16) & 0xFFFF, "outer total length");
            assertEquals(4, out.get(23), "IPIP");
            assertEquals(List.of(DIRECTOR_IP, realServer), List.of(out.getInt(26), out.getInt(30)));
            assertEquals(0, TestFrames.checksum(run.frame(), 14, 20), "outer header checksum");
            assertEquals(HexFormat.of().formatHex(frame, 34, frame.length),
                    HexFormat.of().formatHex(run.frame(), 54, run.frame().length), name + ": the payload inside");
        } finally {
            flows.remove(protocol, client, 40000, vip, 80, new long[FastPath.READ_LENGTH]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Way.class, names = {"NAT_IN"})
    void shouldLeaveFlowsWithoutAnEntry(Way way) throws Exception {
        byte[] frame = frame(Protocol.UDP, Ipv4.parse("198.18.0.2"), 40000, Ipv4.parse("198.18.1.1"), 53, 0, 50, 64,
                false, new Random(2));
        assertEquals(GuardProgram.TCX_NEXT, kernel.forward(frame).returned(), way + ": a miss goes on");
    }

    @ParameterizedTest(name = "UDP x{0}")
    @CsvSource({"1", "3"})
    void shouldCountPacketsBytesAndLastSeen(int count) throws Exception {
        int client = Ipv4.parse("198.18.0.9");
        int vip = Ipv4.parse("198.18.1.1");
        byte[] frame = frame(Protocol.UDP, client, 40001, vip, 53, 0, 100, 64, false, new Random(3));
        flows.install(Protocol.UDP, client, 40001, vip, 53, 0, 0, Ipv4.parse("198.19.0.2"), 53, IFINDEX, PORT_MAC,
                NEIGHBOUR_MAC, MTU);
        try {
            long before = System.nanoTime();
            for (int i = 0; i < count; i++) {
                kernel.forward(frame);
            }
            long[] read = new long[FastPath.READ_LENGTH];
            assertEquals(true, flows.read(Protocol.UDP, client, 40001, vip, 53, read));
            assertEquals(count, read[FastPath.PACKETS]);
            assertEquals((long) count * (frame.length - EthernetHeader.LENGTH), read[FastPath.BYTES]);
            assertEquals(true, read[FastPath.LAST_SEEN_NS] >= before && read[FastPath.LAST_SEEN_NS] <= System.nanoTime(),
                    "last seen on System.nanoTime's clock: " + read[FastPath.LAST_SEEN_NS] + " after " + before);
        } finally {
            flows.remove(Protocol.UDP, client, 40001, vip, 53, new long[FastPath.READ_LENGTH]);
        }
    }

    private static void install(int protocol, byte[] frame, int newSource, int newSourcePort, int newDestination,
                                int newDestinationPort) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        boolean installed = flows.install(protocol, b.getInt(26), b.getShort(34) & 0xFFFF, b.getInt(30),
                b.getShort(36) & 0xFFFF, newSource, newSourcePort, newDestination, newDestinationPort, IFINDEX,
                PORT_MAC, NEIGHBOUR_MAC, MTU);
        assertEquals(true, installed, "installed");
    }

    /** An Ethernet IPv4 TCP or UDP frame with correct checksums, DF set. */
    static byte[] frame(int protocol, int source, int sourcePort, int destination, int destinationPort, int tcpFlags,
                        int payload, int ttl, boolean zeroUdpChecksum, Random random) {
        int l4Header = protocol == Protocol.TCP ? 20 : 8;
        int ipLength = 20 + l4Header + payload;
        byte[] frame = new byte[EthernetHeader.LENGTH + ipLength];
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.putShort(0, (short) (SENDER_MAC >>> 32)).putInt(2, (int) SENDER_MAC);
        b.putShort(6, (short) (NEIGHBOUR_MAC >>> 32)).putInt(8, (int) NEIGHBOUR_MAC);
        b.putShort(12, (short) 0x0800);
        b.put(14, (byte) 0x45).putShort(16, (short) ipLength).putShort(18, (short) random.nextInt())
                .putShort(20, (short) 0x4000).put(22, (byte) ttl).put(23, (byte) protocol)
                .putInt(26, source).putInt(30, destination);
        b.putShort(34, (short) sourcePort).putShort(36, (short) destinationPort);
        for (int i = 34 + l4Header; i < frame.length; i++) {
            frame[i] = (byte) random.nextInt();
        }
        if (protocol == Protocol.TCP) {
            b.putInt(38, random.nextInt()).putInt(42, random.nextInt()).put(46, (byte) 0x50).put(47, (byte) tcpFlags)
                    .putShort(48, (short) 65535);
        } else {
            b.putShort(38, (short) (8 + payload));
        }
        if (!zeroUdpChecksum) {
            b.putShort(protocol == Protocol.TCP ? 50 : 40, transportChecksum(frame, protocol));
        }
        fixIpChecksum(frame);
        return frame;
    }

    private static short transportChecksum(byte[] frame, int protocol) {
        int l4Length = frame.length - 34;
        byte[] pseudo = new byte[12 + l4Length];
        System.arraycopy(frame, 26, pseudo, 0, 8);
        pseudo[9] = (byte) protocol;
        pseudo[10] = (byte) (l4Length >>> 8);
        pseudo[11] = (byte) l4Length;
        System.arraycopy(frame, 34, pseudo, 12, l4Length);
        short sum = TestFrames.checksum(pseudo, 0, pseudo.length);
        return protocol == Protocol.UDP && sum == 0 ? (short) 0xFFFF : sum;
    }

    private static void fixIpChecksum(byte[] frame) {
        int headerLength = (frame[14] & 0x0F) * 4;
        frame[24] = 0;
        frame[25] = 0;
        short sum = TestFrames.checksum(frame, 14, headerLength);
        frame[24] = (byte) (sum >>> 8);
        frame[25] = (byte) sum;
    }

    /** The frame with a 4-byte NOP option after its IP header (IHL 6). */
    private static byte[] withIpOption(byte[] frame) {
        byte[] longer = new byte[frame.length + 4];
        System.arraycopy(frame, 0, longer, 0, 34);
        Arrays.fill(longer, 34, 38, (byte) 1);
        System.arraycopy(frame, 34, longer, 38, frame.length - 34);
        longer[14] = 0x46;
        int length = ((longer[16] & 0xFF) << 8 | longer[17] & 0xFF) + 4;
        longer[16] = (byte) (length >>> 8);
        longer[17] = (byte) length;
        fixIpChecksum(longer);
        return longer;
    }

    /** The director's output as Egress fills it: the port's MAC, the neighbour's, on a 1500-byte link. */
    private static final class Output implements IpOutput {
        byte[] sent;

        @Override
        public boolean route(int destination, NextHop hop) {
            hop.set(IFINDEX, destination, DIRECTOR_IP, MTU);
            return true;
        }

        @Override
        public boolean send(NextHop hop, MemorySegment frame, long offset, int length, int flags) {
            new EthernetHeader().wrap(frame, offset).destination(NEIGHBOUR_MAC).source(PORT_MAC)
                    .etherType(EthernetHeader.TYPE_IPV4);
            sent = frame.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            return true;
        }
    }
}
