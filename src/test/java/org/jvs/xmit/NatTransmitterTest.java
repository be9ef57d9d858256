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

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.IcmpHeader;
import org.jvs.packet.Reference;

class NatTransmitterTest {
    private static final int IP = Reference.ETHERNET;
    private static final int REAL_PORT = 8080;

    private final RecordingIpOutput output = new RecordingIpOutput();
    private final NatTransmitter transmitter = new NatTransmitter(output);

    private static FrameBuilder reply(String protocol) {
        return request(protocol).source(RIP).destination(CLIENT).ports(REAL_PORT, CLIENT_PORT);
    }

    private int toRealServer(FrameBuilder builder) {
        byte[] bytes = builder.bytes();
        return transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, REAL_PORT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "udp-no-checksum"})
    void shouldRewriteDestinationToTheRealServer(String protocol) {
        int verdict = toRealServer(request(protocol));

        assertEquals(Verdict.SENT, verdict);
        byte[] sent = output.onlyFrame();
        // Golden: the same packet built from scratch with the new destination, TTL one less, fresh checksums.
        byte[] expected = request(protocol).destination(RIP).ports(CLIENT_PORT, REAL_PORT).ttl(63).bytes();
        assertArrayEquals(expected, sent);
        assertEquals(RIP, Reference.u32(sent, IP + 16));
        assertEquals(REAL_PORT, Reference.u16(sent, IP + 22));
        assertEquals(CLIENT, Reference.u32(sent, IP + 12));
        assertEquals(CLIENT_PORT, Reference.u16(sent, IP + 20));
        assertEquals(63, Reference.u8(sent, IP + 8));
        assertEquals(Reference.ipChecksum(sent, IP), Reference.u16(sent, IP + 10));
        int stored = Reference.storedTransportChecksum(sent, IP);
        assertEquals(protocol.equals("udp-no-checksum") ? 0 : Reference.transportChecksum(sent, IP), stored);
        assertEquals(RIP, output.sent.getFirst().gateway());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "udp-no-checksum"})
    void shouldRewriteAReplysSourceBackToTheVirtualService(String protocol) {
        byte[] bytes = reply(protocol).bytes();

        int verdict = transmitter.toClient(FrameBuilder.copyToNative(bytes), 0, bytes.length, VIP, VIRTUAL_PORT);

        assertEquals(Verdict.SENT, verdict);
        byte[] expected = reply(protocol).source(VIP).ports(VIRTUAL_PORT, CLIENT_PORT).ttl(63).bytes();
        assertArrayEquals(expected, output.onlyFrame());
        assertEquals(CLIENT, output.sent.getFirst().gateway(), "routed to the client");
    }

    @Test
    void shouldRewriteAFirstFragmentIncrementally() {
        FrameBuilder fragment = request("tcp").flagsAndFragment(0x2000);

        assertEquals(Verdict.SENT, toRealServer(fragment));

        byte[] expected = fragment.destination(RIP).ports(CLIENT_PORT, REAL_PORT).ttl(63).bytes();
        assertArrayEquals(expected, output.onlyFrame());
    }

    @Test
    void shouldSendWithoutEthernetPadding() {
        FrameBuilder shortSegment = request("tcp").payloadLength(0).padding(6);

        assertEquals(Verdict.SENT, toRealServer(shortSegment));

        assertEquals(IP + 40, output.onlyFrame().length);
    }

    @Test
    void shouldAnswerFragmentationNeededFromTheVipWhenDfIsSet() {
        output.mtu = 576;
        FrameBuilder big = request("tcp").payloadLength(537);

        assertEquals(Verdict.FRAGMENTATION_NEEDED, toRealServer(big));

        byte[] quoted = big.ttl(63).bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_DESTINATION_UNREACHABLE,
                IcmpHeader.CODE_FRAGMENTATION_NEEDED, 576, VIP, CLIENT, Arrays.copyOfRange(quoted, IP, quoted.length));
        assertEquals(CLIENT, output.sent.getFirst().gateway());
    }

    @Test
    void shouldSendAPacketOfExactlyTheMtu() {
        output.mtu = 576;

        assertEquals(Verdict.SENT, toRealServer(request("tcp").payloadLength(536)));
    }

    @Test
    void shouldHandAnOversizePacketWithoutDfWholeToTheOutputWhichFragmentsIt() {
        output.mtu = 576;

        FrameBuilder oversize = request("udp").dontFragment(false).payloadLength(1000);

        assertEquals(Verdict.SENT, toRealServer(oversize));

        assertEquals(oversize.bytes().length, output.onlyFrame().length);
    }

    @Test
    void shouldAnswerTimeExceededWhenTheTtlRunsOut() {
        FrameBuilder dying = request("tcp").ttl(1);

        assertEquals(Verdict.TTL_EXCEEDED, toRealServer(dying));

        byte[] quoted = dying.bytes();
        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_TIME_EXCEEDED,
                IcmpHeader.CODE_TTL_EXCEEDED, 0, VIP, CLIENT, Arrays.copyOfRange(quoted, IP, quoted.length));
    }

    @Test
    void shouldAnswerTimeExceededForAReplyFromTheDirectorsOwnAddress() {
        byte[] bytes = reply("udp").ttl(1).bytes();

        assertEquals(Verdict.TTL_EXCEEDED,
                transmitter.toClient(FrameBuilder.copyToNative(bytes), 0, bytes.length, VIP, VIRTUAL_PORT));

        IcmpErrorAssertions.assertIcmpError(output.onlyFrame(), IcmpHeader.TYPE_TIME_EXCEEDED,
                IcmpHeader.CODE_TTL_EXCEEDED, 0, DIRECTOR, RIP, Arrays.copyOfRange(bytes, IP, bytes.length));
    }

    @Test
    void shouldReportNoRoute() {
        output.unroutable.add(RIP);

        assertEquals(Verdict.NO_ROUTE, toRealServer(request("tcp")));

        assertTrue(output.sent.isEmpty());
    }

    @Test
    void shouldReportAFrameTheOutputRefused() {
        output.refuseSends = true;

        assertEquals(Verdict.OUTPUT_DROP, toRealServer(request("tcp")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "not IPv4,                12, 0x86DD",
        "bad IP checksum,         24, 0x0000",
        "IHL 4,                   14, 0x4400",
        "later fragment,          20, 0x0010",
        "ICMP,                    22, 0x4001",
        "total length > captured, 16, 0x0FFF"})
    void shouldCallMalformedPacketsMalformed(String name, int wordOffset, String word) {
        byte[] bytes = request("tcp").bytes();
        Reference.u16(bytes, wordOffset, Integer.decode(word));
        if (wordOffset != IP + 10 && wordOffset != 12) {
            Reference.u16(bytes, IP + 10, Reference.ipChecksum(bytes, IP));
        }

        int verdict = transmitter.toRealServer(FrameBuilder.copyToNative(bytes), 0, bytes.length, RIP, REAL_PORT);

        assertEquals(Verdict.MALFORMED, verdict, name);
        assertTrue(output.sent.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 13, 33, 34, 53})
    void shouldCallTruncatedFramesMalformed(int length) {
        MemorySegment frame = request("tcp").payloadLength(0).segment();

        assertEquals(Verdict.MALFORMED, transmitter.toRealServer(frame, 0, length, RIP, REAL_PORT));
        assertEquals(Verdict.MALFORMED, transmitter.toClient(frame, 0, length, VIP, VIRTUAL_PORT));
    }
}
