package org.jvs.xmit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7915 4.2's and 5.2's tables: what an ICMP error about a NAT64 packet becomes the other side (-1: dropped). */
class Nat64IcmpTranslatorTest {

    @ParameterizedTest(name = "ICMP {0}/{1} -> ICMPv6 {2}/{3}")
    @CsvSource({
        "3, 0, 1, 0", "3, 1, 1, 0", "3, 3, 1, 4", "3, 4, 2, 0", "3, 5, 1, 0", "3, 6, 1, 0", "3, 7, 1, 0",
        "3, 8, 1, 0", "3, 9, 1, 1", "3, 10, 1, 1", "3, 11, 1, 0", "3, 12, 1, 0", "3, 13, 1, 1", "3, 15, 1, 1",
        "3, 2, -1, -1", "3, 14, -1, -1", "11, 0, 3, 0", "11, 1, 3, 1", "4, 0, -1, -1", "12, 0, -1, -1",
        "0, 0, -1, -1"})
    void shouldMapAsRfc7915Says(int type, int code, int type6, int code6) {
        int mapped = Nat64IcmpTranslator.type6(type, code);
        assertThat(mapped < 0 ? -1 : mapped >>> 8).isEqualTo(type6);
        assertThat(mapped < 0 ? -1 : mapped & 0xFF).isEqualTo(code6);
    }

    @ParameterizedTest(name = "ICMPv6 {0}/{1} -> ICMP {2}/{3}")
    @CsvSource({"2, 0, 3, 4", "3, 0, 11, 0", "3, 1, 11, 1", "1, 0, 3, 1", "1, 1, 3, 10", "1, 2, 3, 1", "1, 3, 3, 1",
        "1, 4, 3, 3", "1, 5, -1, -1", "4, 0, -1, -1", "128, 0, -1, -1"})
    void shouldMapBackAsRfc7915Says(int type6, int code6, int type, int code) {
        int mapped = Nat64IcmpTranslator.type4(type6, code6);
        assertThat(mapped < 0 ? -1 : mapped >>> 8).isEqualTo(type);
        assertThat(mapped < 0 ? -1 : mapped & 0xFF).isEqualTo(code);
    }
}
