package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.xmit.RecordingIpOutput.CLIENT;
import static org.jvs.xmit.RecordingIpOutput.RIP;
import static org.jvs.xmit.RecordingIpOutput.VIP;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvs.net.FrameHandler;
import org.jvs.packet.FrameBuilder;

/**
 * NAT and DR with offload flags: a partial checksum stays partial (only the address goes into it), the flags go
 * out with the frame, and a super-packet is measured against the MTU by its segments.
 */
class OffloadedForwardingTest {
    private static final int CLIENT_PORT = 40000;
    private static final int VIRTUAL_PORT = 80;
    private static final int REAL_PORT = 8080;

    private final RecordingIpOutput output = new RecordingIpOutput();
    private final NatTransmitter nat = new NatTransmitter(output);
    private final DirectRouteTransmitter directRoute = new DirectRouteTransmitter(output);

    private static FrameBuilder request(boolean udp, int payloadLength) {
        FrameBuilder builder = new FrameBuilder().source(CLIENT).destination(VIP).ports(CLIENT_PORT, VIRTUAL_PORT)
                .payloadLength(payloadLength);
        return udp ? builder.udp() : builder;
    }

    @ParameterizedTest
    @CsvSource({"false, 100, 0", "true, 100, 0", "false, 20000, 1460"})
    void shouldKeepThePartialChecksumPartialTowardsTheRealServer(boolean udp, int payloadLength, int gsoSize) {
        int flags = gsoSize == 0 ? FrameHandler.CHECKSUM_NOT_READY : FrameHandler.tcpSegmentation(gsoSize);
        byte[] bytes = request(udp, payloadLength).partialChecksum().bytes();

        int verdict = nat.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, REAL_PORT, flags);

        assertEquals(Verdict.SENT, verdict);
        byte[] expected = request(udp, payloadLength).destination(RIP).ports(CLIENT_PORT, REAL_PORT).ttl(63)
                .partialChecksum().bytes();
        assertArrayEquals(expected, output.onlyFrame());
        assertEquals(flags, output.sent.getFirst().flags());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldKeepThePartialChecksumPartialTowardsTheClient(boolean udp) {
        byte[] bytes = request(udp, 3000).source(RIP).destination(CLIENT).ports(REAL_PORT, CLIENT_PORT)
                .partialChecksum().bytes();
        int flags = udp ? FrameHandler.CHECKSUM_NOT_READY : FrameHandler.tcpSegmentation(1000);
        output.mtu = udp ? 9000 : 1500;

        int verdict = nat.toClient(FrameBuilder.copyToNative(bytes), 0, bytes.length, VIP, VIRTUAL_PORT, flags);

        assertEquals(Verdict.SENT, verdict);
        byte[] expected = request(udp, 3000).source(VIP).destination(CLIENT).ports(VIRTUAL_PORT, CLIENT_PORT).ttl(63)
                .partialChecksum().bytes();
        assertArrayEquals(expected, output.onlyFrame());
        assertEquals(flags, output.sent.getFirst().flags());
    }

    @ParameterizedTest
    @CsvSource({
        // mtu, gso size, verdict: the segment (40 header bytes + gso size) must fit, not the 20040-byte whole
        "1500, 1460, " + Verdict.SENT,
        "1500, 1461, " + Verdict.FRAGMENTATION_NEEDED,
        "1400, 1460, " + Verdict.FRAGMENTATION_NEEDED})
    void shouldMeasureASuperPacketBySegmentInBothMethods(int mtu, int gsoSize, int verdict) {
        output.mtu = mtu;
        byte[] bytes = request(false, 20000).dontFragment(true).partialChecksum().bytes();
        int flags = FrameHandler.tcpSegmentation(gsoSize);

        assertEquals(verdict, nat.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, REAL_PORT, flags));
        assertEquals(verdict, directRoute.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, REAL_PORT,
                flags));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldPassADirectRoutedSuperPacketOnUntouched(boolean partial) {
        byte[] bytes = (partial ? request(false, 9000).partialChecksum() : request(false, 9000)).bytes();
        int flags = FrameHandler.tcpSegmentation(1460);

        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        assertEquals(Verdict.SENT, directRoute.toRealServer(frame, 0, bytes.length, RIP, REAL_PORT, flags));

        byte[] expected = (partial ? request(false, 9000).ttl(63).partialChecksum() : request(false, 9000).ttl(63)).bytes();
        assertArrayEquals(expected, output.onlyFrame());
        assertEquals(flags, output.sent.getFirst().flags());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRefuseGsoFlagsOnAUdpDatagram(boolean directRouted) {
        byte[] bytes = request(true, 3000).partialChecksum().bytes();
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        int flags = FrameHandler.tcpSegmentation(1000);

        int verdict = directRouted ? directRoute.toRealServer(frame, 0, bytes.length, RIP, REAL_PORT, flags)
                : nat.toRealServer(frame, 0, bytes.length, RIP, REAL_PORT, flags);

        assertEquals(Verdict.MALFORMED, verdict);
        assertEquals(0, output.sent.size());
    }
}
