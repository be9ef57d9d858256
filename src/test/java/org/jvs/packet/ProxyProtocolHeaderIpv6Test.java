package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.jvs.service.Ipv6;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.assertj.core.api.Assertions.assertThat;

/** "PROXY TCP6": the addresses as inet_ntop writes them (RFC 5952), its length known before it is written. */
class ProxyProtocolHeaderIpv6Test {

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "2001:db8::1", "2001:db8:0:1:1:1:1:1", "2001:0:0:1::1",
        "fe80::1:0:0:0", "1:0:0:2::3", "1:2:3:4:5:6:7:8", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
    void shouldWriteTheAddressesAsInetNtop(String address) {
        Ipv6 client = Ipv6.parse(address);
        assertThat(v1(client)).isEqualTo("PROXY TCP6 " + address + " 2001:db8::10 65535 80\r\n");
    }

    @Property
    void shouldWriteAnyNonMappedAddressAsTheCoreReadsIt(@ForAll long hi, @ForAll long lo, @ForAll boolean sparse) {
        // many zero groups make runs to compress; IPv4-mapped and -compatible forms inet_ntop writes dotted are out
        long h = sparse ? hi & 0xFFFF_0000_0000_FFFFL : hi;
        long l = sparse ? lo & 0x0000_FFFF_0000_0000L : lo;
        String text = Ipv6.toString(h, l);
        if (text.contains(".")) {
            return;
        }
        assertThat(v1(new Ipv6(h, l))).isEqualTo("PROXY TCP6 " + text + " 2001:db8::10 65535 80\r\n");
    }

    private static String v1(Ipv6 client) {
        Ipv6 vip = Ipv6.parse("2001:db8::10");
        MemorySegment segment = Arena.ofAuto().allocate(ProxyProtocolHeader.V1_TCP6_MAX_LENGTH);
        int length = ProxyProtocolHeader.length6(ProxyProtocolHeader.V1, client.hi(), client.lo(), 65535, vip.hi(),
                vip.lo(), 80);
        int written = ProxyProtocolHeader.write6(ProxyProtocolHeader.V1, segment, 0, client.hi(), client.lo(), 65535,
                vip.hi(), vip.lo(), 80);
        assertThat(written).isEqualTo(length).isLessThanOrEqualTo(ProxyProtocolHeader.V1_TCP6_MAX_LENGTH);
        return new String(segment.asSlice(0, written).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
    }
}
