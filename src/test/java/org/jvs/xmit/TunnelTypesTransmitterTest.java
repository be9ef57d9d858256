package org.jvs.xmit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.xmit.RecordingIpOutput.CLIENT;
import static org.jvs.xmit.RecordingIpOutput.RIP;
import static org.jvs.xmit.RecordingIpOutput.VIP;

import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.net.FrameHandler;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/**
 * GUE and GRE encapsulation against golden packets written out byte by byte: a 3-byte UDP datagram from
 * 203.0.113.7:40000 to the VIP 192.0.2.10:53 (TTL 64, DF), tunnelled from the director 198.18.0.1 to the real
 * server 198.51.100.20. Checksums were worked out apart from JVS's own checksum code.
 */
class TunnelTypesTransmitterTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** As received: TTL 64, header checksum 2a88, UDP checksum 87d9. */
    static final String INNER_RECEIVED = "45 00 00 1f 12 34 40 00 40 11 2a 88 cb 00 71 07 c0 00 02 0a "
            + "9c 40 00 35 00 0b 87 d9 6a 76 73";
    /** As a sender with checksum offload hands it over: the UDP checksum field holds the pseudo-header sum. */
    static final String INNER_RECEIVED_PARTIAL = "45 00 00 1f 12 34 40 00 40 11 2a 88 cb 00 71 07 c0 00 02 0a "
            + "9c 40 00 35 00 0b fe 2e 6a 76 73";
    /** As tunnelled: TTL 63, header checksum 2b88. */
    static final String INNER_SENT = "45 00 00 1f 12 34 40 00 3f 11 2b 88 cb 00 71 07 c0 00 02 0a "
            + "9c 40 00 35 00 0b 87 d9 6a 76 73";
    /** Outer IPv4 (protocol 17, DF, TTL 63), UDP 40972 -> 6080 without checksum, GUE variant 0 for protocol 4. */
    static final String GUE_NOCSUM = "45 00 00 3f 00 00 40 00 3f 11 4b 53 c6 12 00 01 c6 33 64 14 "
            + "a0 0c 17 c0 00 2b 00 00 "
            + "00 04 00 00 "
            + INNER_SENT;
    /** The same with the UDP checksum. */
    static final String GUE_CSUM = "45 00 00 3f 00 00 40 00 3f 11 4b 53 c6 12 00 01 c6 33 64 14 "
            + "a0 0c 17 c0 00 2b 55 9b "
            + "00 04 00 00 "
            + INNER_SENT;
    /**
     * Remote checksum offload: Hlen 2, flag P; private flags R; start 20, offset 26 (the inner UDP checksum, still
     * the pseudo-header sum fe2e); the outer UDP checksum as with csum.
     */
    static final String GUE_REMCSUM = "45 00 00 47 00 00 40 00 3f 11 4b 4b c6 12 00 01 c6 33 64 14 "
            + "a0 0c 17 c0 00 33 5d 06 "
            + "02 04 00 01 80 00 00 00 00 14 00 1a "
            + "45 00 00 1f 12 34 40 00 3f 11 2b 88 cb 00 71 07 c0 00 02 0a 9c 40 00 35 00 0b fe 2e 6a 76 73";
    /** Outer IPv4 (protocol 47), GRE without checksum for protocol 0x0800. */
    static final String GRE_NOCSUM = "45 00 00 37 00 00 40 00 3f 2f 4b 3d c6 12 00 01 c6 33 64 14 "
            + "00 00 08 00 "
            + INNER_SENT;
    /** GRE with C set and the checksum 762e over the GRE header and the inner packet. */
    static final String GRE_CSUM = "45 00 00 3b 00 00 40 00 3f 2f 4b 39 c6 12 00 01 c6 33 64 14 "
            + "80 00 08 00 76 2e 00 00 "
            + INNER_SENT;

    private final RecordingIpOutput output = new RecordingIpOutput();
    private final TunnelTransmitter transmitter = new TunnelTransmitter(output);

    static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    private static byte[] frame(String innerHex) {
        byte[] inner = bytes(innerHex);
        byte[] frame = new byte[Reference.ETHERNET + inner.length];
        System.arraycopy(inner, 0, frame, Reference.ETHERNET, inner.length);
        Reference.u16(frame, 12, 0x0800);
        return frame;
    }

    private int transmit(byte[] frame, Tunnel tunnel, int flags) {
        return transmitter.toRealServer(FrameBuilder.copyToNative(frame), 0, frame.length, RIP, tunnel, flags);
    }

    private String sentPacket() {
        byte[] sent = output.onlyFrame();
        return HEX.formatHex(Arrays.copyOfRange(sent, Reference.ETHERNET, sent.length));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "GUE, 6080, NOCSUM, 0, " + GUE_NOCSUM,
        "GUE, 6080, CSUM, 0, " + GUE_CSUM,
        "GUE, 6080, REMCSUM, 0, " + GUE_CSUM,
        "GRE, 0, NOCSUM, 0, " + GRE_NOCSUM,
        "GRE, 0, CSUM, 0, " + GRE_CSUM,
    })
    void shouldEmitTheGoldenPacket(TunnelType type, int port, TunnelChecksum checksum, int flags, String golden) {
        assertEquals(Verdict.SENT, transmit(frame(INNER_RECEIVED), new Tunnel(type, port, checksum), flags));

        assertEquals(golden, sentPacket());
        assertEquals(RIP, output.sent.getFirst().gateway());
    }

    @Test
    void shouldLeaveAPartialChecksumToTheRealServerWithRemoteChecksumOffload() {
        Tunnel tunnel = new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM);

        assertEquals(Verdict.SENT, transmit(frame(INNER_RECEIVED_PARTIAL), tunnel, FrameHandler.CHECKSUM_NOT_READY));

        assertEquals(GUE_REMCSUM, sentPacket());
    }

    @Test
    void shouldKeepOneSourcePortPerFlowAndSpreadFlowsOverPorts() {
        Tunnel tunnel = new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.NOCSUM);
        Set<Integer> ports = new HashSet<>();
        for (int flow = 0; flow < 64; flow++) {
            for (int packet = 0; packet < 2; packet++) {
                byte[] frame = new FrameBuilder().source(CLIENT).destination(VIP).ports(40000 + flow, 80)
                        .payloadLength(10).bytes();
                transmit(frame, tunnel, 0);
            }
            int first = Reference.u16(output.sent.get(2 * flow).frame(), Reference.ETHERNET + 20);
            int second = Reference.u16(output.sent.get(2 * flow + 1).frame(), Reference.ETHERNET + 20);
            assertEquals(first, second, "one flow, one port");
            assertThat(first).isBetween(32768, 60998);
            ports.add(first);
        }
        assertThat(ports).as("64 flows over distinct ports").hasSizeGreaterThan(56);
    }

    /** The largest inner packet with DF that fits a 1500-byte path, per tunnel: 1500 less the tunnel's headers. */
    @ParameterizedTest(name = "{0} {1}: inner MTU {2}")
    @CsvSource({
        "IPIP, 0, NOCSUM, 1480",
        "GUE, 6080, NOCSUM, 1468",
        "GUE, 6080, CSUM, 1468",
        "GUE, 6080, REMCSUM, 1468",
        "GRE, 0, NOCSUM, 1476",
        "GRE, 0, CSUM, 1472",
    })
    void shouldAnswerFragmentationNeededWithTheMtuLessTheTunnelsHeaders(TunnelType type, int port,
                                                                       TunnelChecksum checksum, int innerMtu) {
        Tunnel tunnel = new Tunnel(type, port, checksum);
        FrameBuilder fits = new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .payloadLength(innerMtu - 40);
        assertEquals(Verdict.SENT, transmit(fits.bytes(), tunnel, 0));
        assertEquals(Reference.ETHERNET + 1500, output.onlyFrame().length);
        output.sent.clear();

        FrameBuilder big = new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80)
                .payloadLength(innerMtu + 1 - 40);
        assertEquals(Verdict.FRAGMENTATION_NEEDED, transmit(big.bytes(), tunnel, 0));

        byte[] quoted = big.ttl(63).bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, innerMtu, VIP, CLIENT,
                Arrays.copyOfRange(quoted, Reference.ETHERNET, quoted.length));
    }

    @Test
    void shouldRefuseAnnouncingARemoteChecksumForAPacketWithoutOne() {
        byte[] icmp = new FrameBuilder().source(CLIENT).destination(VIP).protocol(1).payloadLength(8).bytes();

        assertEquals(Verdict.MALFORMED, transmit(icmp, new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM),
                FrameHandler.CHECKSUM_NOT_READY));
        assertThat(output.sent).isEmpty();
    }

    @Test
    void shouldKeepTheInnerPacketByteForByteButItsTtl() {
        transmit(frame(INNER_RECEIVED), new Tunnel(TunnelType.GRE, 0, TunnelChecksum.NOCSUM), 0);

        byte[] sent = output.onlyFrame();
        assertArrayEquals(bytes(INNER_SENT), Arrays.copyOfRange(sent, Reference.ETHERNET + 24, sent.length));
    }
}
