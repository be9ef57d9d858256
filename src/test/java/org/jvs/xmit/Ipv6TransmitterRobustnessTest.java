package org.jvs.xmit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jvs.net.Ipv6Output;
import org.jvs.net.NextHop6;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.service.Ipv6;

/**
 * Every IPv6 transmitter and translator returns a verdict, never throws, whatever the bytes: random frames, and
 * valid headers with random extension chains, protocols, hop limits, lengths and MTUs.
 */
class Ipv6TransmitterRobustnessTest {
    private static final Ipv6 RIP6 = Ipv6.parse("2001:db8:5::2");
    private static final Ipv6 VIP6 = Ipv6.parse("2001:db8:f::10");
    private static final Ipv6 CLIENT6 = Ipv6.parse("2001:db8:c::a");

    private final RecordingIpOutput output = new RecordingIpOutput();
    private final RoutingEverything output6 = new RoutingEverything();
    private final NatTransmitter nat = new NatTransmitter(output, output6);
    private final DirectRouteTransmitter directRoute = new DirectRouteTransmitter(output, output6);
    private final FullNatTransmitter fullNat = new FullNatTransmitter(output, output6);
    private final Ipv6TunnelTransmitter tunnel = new Ipv6TunnelTransmitter(output, output6);
    private final Nat64Transmitter nat64 = new Nat64Transmitter(output, output6);
    private final Icmpv6ErrorTranslator icmp6 = new Icmpv6ErrorTranslator(output6);
    private final Nat64IcmpTranslator nat64Icmp = new Nat64IcmpTranslator(output, output6);

    /** Routes every address on one link with the MTU the property chose. */
    private static final class RoutingEverything implements Ipv6Output {
        int mtu = 1500;

        @Override
        public boolean route6(long destinationHi, long destinationLo, NextHop6 hop) {
            hop.set(1, destinationHi, destinationLo, 0x2001_0DB8_0005_0000L, 1, mtu);
            return true;
        }

        @Override
        public boolean send6(NextHop6 hop, MemorySegment frame, long offset, int length, int flags) {
            FrameBuilder.toBytes(frame, offset, length);
            return true;
        }
    }

    @Property(tries = 500)
    void shouldReturnAVerdictForArbitraryBytes(@ForAll @Size(max = 200) byte[] bytes,
                                               @ForAll @IntRange(min = -5, max = 220) int length) {
        if (bytes.length > 14) {
            bytes[12] = (byte) 0x86;
            bytes[13] = (byte) 0xDD;
            bytes[14] = (byte) (0x60 | bytes[14] & 0x0F);
        }
        everyWay(bytes, length);
    }

    @Property(tries = 500)
    void shouldReturnAVerdictForValidHeadersWithArbitraryContent(
            @ForAll @IntRange(max = 255) int protocol, @ForAll @IntRange(max = 255) int hopLimit,
            @ForAll @Size(max = 3) int[] extensions, @ForAll @Size(max = 1600) byte[] payload,
            @ForAll @IntRange(min = 1000, max = 1600) int mtu, @ForAll @IntRange(max = 2) int truncate) {
        output6.mtu = mtu;
        output.mtu = mtu;
        Ipv6FrameBuilder builder = new Ipv6FrameBuilder().protocol(protocol).hopLimit(hopLimit).payload(payload);
        int[] types = {0, 43, 44, 60, 50, 59};
        for (int extension : extensions) {
            int type = types[Math.floorMod(extension, types.length)];
            if (type == 44) {
                builder.fragment(Math.floorMod(extension, 4) * 8, (extension & 1) != 0, extension);
            } else {
                builder.extension(type, Math.floorMod(extension, 3));
            }
        }
        byte[] bytes = builder.bytes();
        everyWay(bytes, bytes.length - truncate * (bytes.length / 3));
    }

    /** Any ICMPv6 (or ICMP) error content: translated to a verdict or refused. */
    @Property(tries = 300)
    void shouldTranslateOrRefuseArbitraryIcmpErrors(@ForAll @IntRange(max = 4) int type,
                                                    @ForAll @Size(max = 120) byte[] quote) {
        byte[] icmp = new byte[8 + quote.length];
        icmp[0] = (byte) type;
        System.arraycopy(quote, 0, icmp, 8, quote.length);
        if (quote.length > 0) {
            icmp[8] = (byte) 0x60;
        }
        byte[] bytes = new Ipv6FrameBuilder().protocol(58).payload(icmp).bytes();
        everyWay(bytes, bytes.length);
        byte[] icmp4 = new byte[8 + quote.length];
        icmp4[0] = 3;
        icmp4[1] = (byte) type;
        System.arraycopy(quote, 0, icmp4, 8, quote.length);
        if (quote.length > 0) {
            icmp4[8] = (byte) 0x45;
        }
        byte[] frame4 = new FrameBuilder().protocol(1).payload(icmp4).bytes();
        assertVerdict(nat64Icmp.toClient(FrameBuilder.copyToNative(frame4), 0, frame4.length, VIP6.hi(), VIP6.lo(),
                80, CLIENT6.hi(), CLIENT6.lo(), 40000));
    }

    private void everyWay(byte[] bytes, int length) {
        assertVerdict(nat.toRealServer6(copy(bytes), 0, length, RIP6.hi(), RIP6.lo(), 8080, 0));
        assertVerdict(nat.toClient6(copy(bytes), 0, length, VIP6.hi(), VIP6.lo(), 80, 0));
        assertVerdict(directRoute.toRealServer6(copy(bytes), 0, length, RIP6.hi(), RIP6.lo(), 0));
        assertVerdict(fullNat.toRealServer6(copy(bytes), 0, length, RIP6.hi(), 0x100, 1024, RIP6.hi(), RIP6.lo(), 8080,
                Ipv6Output.REASSEMBLED));
        assertVerdict(tunnel.sixInSix(copy(bytes), 0, length, RIP6.hi(), RIP6.lo(), 0));
        assertVerdict(tunnel.sixInFour(copy(bytes), 0, length, RecordingIpOutput.RIP));
        assertVerdict(tunnel.fourInSix(copy(bytes), 0, length, RIP6.hi(), RIP6.lo()));
        assertVerdict(nat64.toRealServer(copy(bytes), 0, length, RecordingIpOutput.DIRECTOR, 1024,
                RecordingIpOutput.RIP, 8080, 0));
        assertVerdict(nat64.toClient(copy(bytes), 0, length, VIP6.hi(), VIP6.lo(), 80, CLIENT6.hi(), CLIENT6.lo(),
                40000, 0));
        assertVerdict(nat64Icmp.toRealServer(copy(bytes), 0, length, RecordingIpOutput.DIRECTOR, 1024,
                RecordingIpOutput.RIP, 8080));
        MemorySegment frame = copy(bytes);
        int parsed = icmp6.parse(frame, 0, length);
        assertTrue(parsed == IcmpErrorTranslator.NOT_TRANSLATED || parsed == IcmpErrorTranslator.QUOTE
                || parsed == IcmpErrorTranslator.MALFORMED, "parse " + parsed);
        if (parsed == IcmpErrorTranslator.QUOTE) {
            icmp6.quotedSequenceToClient(0x11223344, 52);
            assertVerdict(icmp6.translate(VIP6.hi(), VIP6.lo(), CLIENT6.hi(), CLIENT6.lo(), CLIENT6.hi(),
                    CLIENT6.lo(), 40000, VIP6.hi(), VIP6.lo(), 80));
        }
    }

    private static MemorySegment copy(byte[] bytes) {
        return FrameBuilder.copyToNative(bytes);
    }

    private static void assertVerdict(int verdict) {
        assertTrue(verdict >= 0 && verdict < Verdict.COUNT, "verdict " + verdict);
    }
}
