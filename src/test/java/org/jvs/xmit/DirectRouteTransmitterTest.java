package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvs.xmit.RecordingIpOutput.CLIENT;
import static org.jvs.xmit.RecordingIpOutput.RIP;
import static org.jvs.xmit.RecordingIpOutput.VIP;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;

class DirectRouteTransmitterTest {
    private static final int IP = Reference.ETHERNET;

    private final RecordingIpOutput output = new RecordingIpOutput();
    private final DirectRouteTransmitter transmitter = new DirectRouteTransmitter(output);

    private static FrameBuilder request() {
        return new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 80).payloadLength(300);
    }

    private int transmit(FrameBuilder builder) {
        byte[] bytes = builder.bytes();
        return transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, 8080);
    }

    @Test
    void shouldSendThePacketUnchangedButForTheTtlToTheRealServersMac() {
        output.gateway = Reference.ip(198, 18, 0, 254);

        assertEquals(Verdict.SENT, transmit(request().padding(4)));

        byte[] expected = request().ttl(63).bytes();
        assertArrayEquals(expected, output.onlyFrame());
        assertEquals(VIP, Reference.u32(output.onlyFrame(), IP + 16), "destination stays the VIP");
        assertEquals(Reference.ipChecksum(expected, IP), Reference.u16(output.onlyFrame(), IP + 10));
        assertEquals(RIP, output.sent.getFirst().gateway(), "next hop is the real server, not the route's gateway");
        assertEquals(RecordingIpOutput.IFINDEX, output.sent.getFirst().ifindex());
    }

    @Test
    void shouldAnswerFragmentationNeededWithTheMtuItself() {
        FrameBuilder big = request().payloadLength(1501 - 40);

        assertEquals(Verdict.FRAGMENTATION_NEEDED, transmit(big));

        byte[] quoted = big.ttl(63).bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, 1500, VIP, CLIENT, Arrays.copyOfRange(quoted, IP, quoted.length));
    }

    @Test
    void shouldNeverAnswerAnIcmpErrorWithAnotherOne() {
        // An oversize "destination unreachable" with DF: no ICMP about ICMP errors (RFC 1122 3.2.2).
        byte[] bytes = request().protocol(1).payloadLength(1600).bytes();
        bytes[IP + 20] = (byte) IcmpHeader.TYPE_DESTINATION_UNREACHABLE;

        int verdict = transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, 0);

        assertEquals(Verdict.TOO_BIG, verdict);
        assertTrue(output.sent.isEmpty());
    }

    @Test
    void shouldAnswerAnOversizeEchoRequest() {
        byte[] bytes = request().protocol(1).payloadLength(1600).bytes();
        bytes[IP + 20] = (byte) IcmpHeader.TYPE_ECHO_REQUEST;

        int verdict = transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, 0);

        assertEquals(Verdict.FRAGMENTATION_NEEDED, verdict);
        assertEquals(IcmpHeader.TYPE_DESTINATION_UNREACHABLE, Reference.u8(output.onlyFrame(), IP + 20));
    }

    @Test
    void shouldNotAnswerABroadcastSource() {
        assertEquals(Verdict.TTL_EXCEEDED, transmit(request().source(0xFFFF_FFFF).ttl(1)));

        assertTrue(output.sent.isEmpty());
    }

    @Test
    void shouldReportNoRouteAndOutputDrops() {
        output.unroutable.add(RIP);
        assertEquals(Verdict.NO_ROUTE, transmit(request()));

        output.unroutable.clear();
        output.refuseSends = true;
        assertEquals(Verdict.OUTPUT_DROP, transmit(request()));
    }
}
