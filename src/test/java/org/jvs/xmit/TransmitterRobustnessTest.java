package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Reference;

class TransmitterRobustnessTest {
    private final RecordingIpOutput output = new RecordingIpOutput();
    private final NatTransmitter nat = new NatTransmitter(output);
    private final TunnelTransmitter tunnel = new TunnelTransmitter(output);
    private final DirectRouteTransmitter directRoute = new DirectRouteTransmitter(output);
    private final FullNatTransmitter fullNat = new FullNatTransmitter(output);
    private final IcmpErrorTranslator icmp = new IcmpErrorTranslator(output);

    @Property(tries = 500)
    void shouldReturnAVerdictForArbitraryBytes(@ForAll @Size(max = 200) byte[] bytes,
                                               @ForAll @IntRange(min = -5, max = 220) int length) {
        MemorySegment frame = FrameBuilder.copyToNative(bytes);
        assertVerdict(nat.toRealServer(frame, 0, length, RecordingIpOutput.RIP, 8080));
        assertVerdict(nat.toClient(frame, 0, length, RecordingIpOutput.VIP, 80));
        assertVerdict(tunnel.toRealServer(frame, 0, length, RecordingIpOutput.RIP, 0));
        assertVerdict(directRoute.toRealServer(frame, 0, length, RecordingIpOutput.RIP, 0));
        assertVerdict(fullNat.toRealServer(frame, 0, length, RecordingIpOutput.DIRECTOR, 1024, RecordingIpOutput.RIP,
                8080, 0));
        assertIcmpHandled(FrameBuilder.copyToNative(bytes), length);
    }

    /** Any ICMP content: parsed to one of its outcomes, and translated to a verdict when it names a tuple. */
    @Property(tries = 500)
    void shouldTranslateOrRefuseArbitraryIcmpErrors(@ForAll @IntRange(max = 15) int type,
                                                    @ForAll @Size(max = 80) byte[] quote,
                                                    @ForAll @IntRange(max = 2) int truncate) {
        byte[] icmp = new byte[8 + quote.length];
        icmp[0] = (byte) type;
        System.arraycopy(quote, 0, icmp, 8, quote.length);
        if (quote.length > 0) {
            icmp[8] = (byte) 0x45;
        }
        byte[] bytes = new FrameBuilder().protocol(1).payload(icmp).bytes();
        assertIcmpHandled(FrameBuilder.copyToNative(bytes), bytes.length - truncate * (bytes.length / 3));
    }

    private void assertIcmpHandled(MemorySegment frame, int length) {
        int parsed = icmp.parse(frame, 0, length);
        assertTrue(parsed == IcmpErrorTranslator.NOT_TRANSLATED || parsed == IcmpErrorTranslator.QUOTE
                || parsed == IcmpErrorTranslator.MALFORMED, "parse " + parsed);
        if (parsed == IcmpErrorTranslator.QUOTE) {
            assertVerdict(icmp.translate(RecordingIpOutput.VIP, RecordingIpOutput.CLIENT, RecordingIpOutput.CLIENT,
                    40000, RecordingIpOutput.VIP, 80));
        }
    }

    @Property(tries = 500)
    void shouldReturnAVerdictForValidHeadersWithArbitraryContent(
            @ForAll @IntRange(max = 255) int protocol, @ForAll @IntRange(max = 0xFFFF) int flagsAndFragment,
            @ForAll @IntRange(max = 255) int ttl, @ForAll @Size(max = 100) byte[] payload,
            @ForAll @IntRange(max = 4) int ipOptionWords, @ForAll @IntRange(min = 68, max = 1500) int mtu) {
        output.mtu = mtu;
        byte[] bytes = new FrameBuilder().protocol(protocol).flagsAndFragment(flagsAndFragment).ttl(ttl)
                .ipOptions(new byte[ipOptionWords * 4]).payload(payload).bytes();
        for (int offset = 0; offset <= 1; offset++) {
            MemorySegment frame = FrameBuilder.copyToNative(bytes);
            int length = bytes.length - offset * (bytes.length / 2);
            assertVerdict(nat.toRealServer(frame, 0, length, RecordingIpOutput.RIP, 8080));
            assertVerdict(nat.toClient(FrameBuilder.copyToNative(bytes), 0, length, RecordingIpOutput.VIP, 80));
            assertVerdict(tunnel.toRealServer(FrameBuilder.copyToNative(bytes), 0, length, RecordingIpOutput.RIP, 0));
            assertVerdict(directRoute.toRealServer(FrameBuilder.copyToNative(bytes), 0, length,
                    Reference.ip(198, 51, 100, 21), 0));
            assertVerdict(fullNat.toClient(FrameBuilder.copyToNative(bytes), 0, length, RecordingIpOutput.VIP, 80,
                    RecordingIpOutput.CLIENT, 40000, 0));
        }
    }

    private static void assertVerdict(int verdict) {
        assertTrue(verdict >= 0 && verdict < Verdict.COUNT, "verdict " + verdict);
    }
}
