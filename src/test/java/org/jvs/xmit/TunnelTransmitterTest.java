package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvs.xmit.RecordingIpOutput.CLIENT;
import static org.jvs.xmit.RecordingIpOutput.DIRECTOR;
import static org.jvs.xmit.RecordingIpOutput.RIP;
import static org.jvs.xmit.RecordingIpOutput.VIP;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;

class TunnelTransmitterTest {
    private static final int OUTER = Reference.ETHERNET;
    private static final int INNER = OUTER + 20;

    private final RecordingIpOutput output = new RecordingIpOutput();
    private final TunnelTransmitter transmitter = new TunnelTransmitter(output);

    private static FrameBuilder request() {
        return new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80).payloadLength(200).tos(0x10);
    }

    private int transmit(FrameBuilder builder) {
        byte[] bytes = builder.bytes();
        return transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, 0);
    }

    @Test
    void shouldEncapsulateThePacketInIpipToTheRealServer() {
        assertEquals(Verdict.SENT, transmit(request()));

        byte[] sent = output.onlyFrame();
        byte[] inner = request().ttl(63).bytes();
        int innerLength = inner.length - Reference.ETHERNET;
        assertEquals(INNER + innerLength, sent.length);
        assertEquals(0x45, Reference.u8(sent, OUTER), "version 4, IHL 5");
        assertEquals(0x10, Reference.u8(sent, OUTER + 1), "TOS copied from the inner header");
        assertEquals(20 + innerLength, Reference.u16(sent, OUTER + 2), "total length");
        assertEquals(0, Reference.u16(sent, OUTER + 4), "identification: 0 when DF (ip_select_ident)");
        assertEquals(0x4000, Reference.u16(sent, OUTER + 6), "DF copied, no fragment offset");
        assertEquals(63, Reference.u8(sent, OUTER + 8), "TTL of the decremented inner header");
        assertEquals(4, Reference.u8(sent, OUTER + 9), "protocol IPIP");
        assertEquals(Reference.ipChecksum(sent, OUTER), Reference.u16(sent, OUTER + 10), "outer checksum");
        assertEquals(DIRECTOR, Reference.u32(sent, OUTER + 12), "source: the route's source");
        assertEquals(RIP, Reference.u32(sent, OUTER + 16), "destination: the real server");
        // The inner packet: as received except the TTL, with a valid header checksum and untouched L4 checksum.
        assertArrayEquals(Arrays.copyOfRange(inner, Reference.ETHERNET, inner.length),
                Arrays.copyOfRange(sent, INNER, sent.length));
        assertEquals(Reference.ipChecksum(sent, INNER), Reference.u16(sent, INNER + 10));
        assertEquals(Reference.transportChecksum(sent, INNER), Reference.storedTransportChecksum(sent, INNER));
        assertEquals(RIP, output.sent.getFirst().gateway());
    }

    @Test
    void shouldGiveFragmentablePacketsDistinctIdentifications() {
        transmit(request().dontFragment(false));
        transmit(request().dontFragment(false));

        byte[] first = output.sent.get(0).frame();
        byte[] second = output.sent.get(1).frame();
        assertEquals(0, Reference.u16(first, OUTER + 6), "DF clear");
        assertNotEquals(Reference.u16(first, OUTER + 4), Reference.u16(second, OUTER + 4));
        assertEquals(Reference.ipChecksum(second, OUTER), Reference.u16(second, OUTER + 10));
    }

    @ParameterizedTest
    @CsvSource({"0x00, 0x00", "0x01, 0x01", "0x02, 0x02", "0x03, 0x02", "0xB8, 0xB8", "0xBB, 0xBA"})
    void shouldCopyTosButNeverCongestionExperienced(String innerTos, String outerTos) {
        assertEquals(Verdict.SENT, transmit(request().tos(Integer.decode(innerTos))));

        assertEquals(Integer.decode(outerTos).intValue(), Reference.u8(output.onlyFrame(), OUTER + 1));
    }

    @Test
    void shouldFitAnInnerPacketOfMtuMinusTwenty() {
        assertEquals(Verdict.SENT, transmit(request().payloadLength(1480 - 40)));

        assertEquals(Reference.ETHERNET + 1500, output.onlyFrame().length);
    }

    @Test
    void shouldAnswerFragmentationNeededWithMtuMinusTwentyFromTheVip() {
        FrameBuilder big = request().payloadLength(1481 - 40);

        assertEquals(Verdict.FRAGMENTATION_NEEDED, transmit(big));

        byte[] quoted = big.ttl(63).bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, 1480, VIP, CLIENT,
                Arrays.copyOfRange(quoted, Reference.ETHERNET, quoted.length));
        assertEquals(CLIENT, output.sent.getFirst().gateway(), "the error is routed to the client");
    }

    @Test
    void shouldEncapsulateAnOversizePacketWithoutDfWholeForTheOutputToFragment() {
        FrameBuilder oversize = request().dontFragment(false).payloadLength(1500);

        assertEquals(Verdict.SENT, transmit(oversize));

        byte[] outer = output.onlyFrame();
        assertEquals(oversize.bytes().length + 20, outer.length);
        assertEquals(0, outer[OUTER + 6] & 0x40, "outer DF follows the inner DF (clear)");
    }

    @Test
    void shouldRefuseATunnelWhoseInnerMtuIsBelowTheIpv4Minimum() {
        output.mtu = 87;

        assertEquals(Verdict.TOO_BIG, transmit(request().payloadLength(0)));
    }

    @Test
    void shouldAnswerTimeExceededWhenTheTtlRunsOut() {
        FrameBuilder dying = request().ttl(1);

        assertEquals(Verdict.TTL_EXCEEDED, transmit(dying));

        byte[] quoted = dying.bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_TIME_EXCEEDED,
                IcmpHeader.CODE_TTL_EXCEEDED, 0, VIP, CLIENT,
                Arrays.copyOfRange(quoted, Reference.ETHERNET, quoted.length));
    }

    @Test
    void shouldReportNoRouteAndOutputDrops() {
        output.unroutable.add(RIP);
        assertEquals(Verdict.NO_ROUTE, transmit(request()));

        output.unroutable.clear();
        output.refuseSends = true;
        assertEquals(Verdict.OUTPUT_DROP, transmit(request()));
    }

    @Test
    void shouldCallAFrameWithABrokenHeaderMalformed() {
        byte[] bytes = request().bytes();
        bytes[OUTER + 10] ^= 0x01;

        assertEquals(Verdict.MALFORMED,
                transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, 0));
        assertTrue(output.sent.isEmpty());
    }
}
