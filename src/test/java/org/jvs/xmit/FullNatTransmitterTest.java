package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvs.xmit.RecordingIpOutput.CLIENT;
import static org.jvs.xmit.RecordingIpOutput.DIRECTOR;
import static org.jvs.xmit.RecordingIpOutput.RIP;
import static org.jvs.xmit.NatRequests.CLIENT_PORT;
import static org.jvs.xmit.NatRequests.VIRTUAL_PORT;
import static org.jvs.xmit.NatRequests.request;
import static org.jvs.xmit.RecordingIpOutput.VIP;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvs.net.FrameHandler;
import org.jvs.packet.ChecksumOffload;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;

class FullNatTransmitterTest {
    private static final int IP = Reference.ETHERNET;
    private static final int LIP = Reference.ip(198, 51, 100, 254);
    private static final int LOCAL_PORT = 1025;
    private static final int REAL_PORT = 8080;

    private final RecordingIpOutput output = new RecordingIpOutput();
    private final FullNatTransmitter transmitter = new FullNatTransmitter(output);

    private static FrameBuilder reply(String protocol) {
        return request(protocol).source(RIP).destination(LIP).ports(REAL_PORT, LOCAL_PORT);
    }

    private int toRealServer(FrameBuilder builder, int flags) {
        byte[] bytes = builder.bytes();
        return transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, LIP, LOCAL_PORT, RIP,
                REAL_PORT, flags);
    }

    private int toClient(FrameBuilder builder, int flags) {
        byte[] bytes = builder.bytes();
        return transmitter.toClient(FrameBuilder.copyToNative(bytes), 0, bytes.length, VIP, VIRTUAL_PORT, CLIENT,
                CLIENT_PORT, flags);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "udp-no-checksum"})
    void shouldSendTheRequestFromTheLocalAddressToTheRealServer(String protocol) {
        assertEquals(Verdict.SENT, toRealServer(request(protocol), 0));

        byte[] expected = request(protocol).source(LIP).destination(RIP).ports(LOCAL_PORT, REAL_PORT).ttl(63).bytes();
        assertArrayEquals(expected, output.onlyFrame());
        assertEquals(RIP, output.sent.getFirst().gateway());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "udp-no-checksum"})
    void shouldSendTheReplyFromTheVirtualServiceToTheClient(String protocol) {
        assertEquals(Verdict.SENT, toClient(reply(protocol), 0));

        byte[] expected = reply(protocol).source(VIP).destination(CLIENT).ports(VIRTUAL_PORT, CLIENT_PORT).ttl(63)
                .bytes();
        assertArrayEquals(expected, output.onlyFrame());
        assertEquals(CLIENT, output.sent.getFirst().gateway());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp"})
    void shouldKeepAPartialChecksumPartial(String protocol) {
        assertEquals(Verdict.SENT, toRealServer(request(protocol).partialChecksum(), FrameHandler.CHECKSUM_NOT_READY));

        RecordingIpOutput.Sent sent = output.sent.getFirst();
        assertEquals(FrameHandler.CHECKSUM_NOT_READY, sent.flags());
        var copy = FrameBuilder.copyToNative(sent.frame());
        assertTrue(new ChecksumOffload().complete(copy, 0, sent.frame().length));
        byte[] expected = request(protocol).source(LIP).destination(RIP).ports(LOCAL_PORT, REAL_PORT).ttl(63).bytes();
        assertArrayEquals(expected, FrameBuilder.toBytes(copy, 0, sent.frame().length));
    }

    @Test
    void shouldHandASuperPacketOnWholeWhenItsSegmentsFit() {
        int flags = FrameHandler.tcpSegmentation(1400);

        assertEquals(Verdict.SENT, toRealServer(request("tcp").payloadLength(5600).partialChecksum(), flags));

        assertEquals(flags, output.sent.getFirst().flags());
    }

    @Test
    void shouldAnswerFragmentationNeededToTheClientFromTheVip() {
        output.mtu = 576;
        FrameBuilder big = request("tcp").payloadLength(537);

        assertEquals(Verdict.FRAGMENTATION_NEEDED, toRealServer(big, 0));

        byte[] quoted = big.ttl(63).bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, 576, VIP, CLIENT, Arrays.copyOfRange(quoted, IP, quoted.length));
    }

    @Test
    void shouldAnswerTimeExceededForAReplyToTheRealServerFromTheDirector() {
        FrameBuilder dying = reply("udp").ttl(1);

        assertEquals(Verdict.TTL_EXCEEDED, toClient(dying, 0));

        byte[] quoted = dying.bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_TIME_EXCEEDED,
                IcmpHeader.CODE_TTL_EXCEEDED, 0, DIRECTOR, RIP, Arrays.copyOfRange(quoted, IP, quoted.length));
    }

    @Test
    void shouldReportNoRouteToTheRealServer() {
        output.unroutable.add(RIP);

        assertEquals(Verdict.NO_ROUTE, toRealServer(request("tcp"), 0));
        assertTrue(output.sent.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 13, 33, 34, 53})
    void shouldCallTruncatedFramesMalformed(int length) {
        var frame = request("tcp").payloadLength(0).segment();

        assertEquals(Verdict.MALFORMED,
                transmitter.toRealServer(frame, 0, length, LIP, LOCAL_PORT, RIP, REAL_PORT, 0));
        assertEquals(Verdict.MALFORMED,
                transmitter.toClient(frame, 0, length, VIP, VIRTUAL_PORT, CLIENT, CLIENT_PORT, 0));
        assertTrue(output.sent.isEmpty());
    }
}
