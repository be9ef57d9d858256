package org.jvs.xmit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.xmit.RecordingIpOutput.CLIENT;
import static org.jvs.xmit.RecordingIpOutput.RIP;
import static org.jvs.xmit.RecordingIpOutput.VIP;
import static org.jvs.packet.TunnelGoldenPackets.GRE_CSUM;
import static org.jvs.packet.TunnelGoldenPackets.GRE_NOCSUM;
import static org.jvs.packet.TunnelGoldenPackets.GUE_CSUM;
import static org.jvs.packet.TunnelGoldenPackets.GUE_NOCSUM;
import static org.jvs.packet.TunnelGoldenPackets.GUE_REMCSUM;
import static org.jvs.packet.TunnelGoldenPackets.INNER_RECEIVED;
import static org.jvs.packet.TunnelGoldenPackets.INNER_RECEIVED_PARTIAL;
import static org.jvs.packet.TunnelGoldenPackets.INNER_SENT;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.net.FrameHandler;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;
import org.jvs.packet.TunnelGoldenPackets;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/** GUE and GRE encapsulation against the golden packets of {@link TunnelGoldenPackets}. */
class TunnelTypesTransmitterTest {
    private final RecordingIpOutput output = new RecordingIpOutput();
    private final TunnelTransmitter transmitter = new TunnelTransmitter(output);

    private static byte[] frame(String innerHex) {
        byte[] inner = TunnelGoldenPackets.bytes(innerHex);
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
        return TunnelGoldenPackets.hex(Arrays.copyOfRange(sent, Reference.ETHERNET, sent.length));
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
        assertArrayEquals(TunnelGoldenPackets.bytes(INNER_SENT), Arrays.copyOfRange(sent, Reference.ETHERNET + 24, sent.length));
    }
}
