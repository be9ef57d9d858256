package org.jvs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv6Test {
    private static Ipv6 hex(String thirtyTwoDigits) {
        return new Ipv6(HexFormat.fromHexDigitsToLong(thirtyTwoDigits, 0, 16),
                HexFormat.fromHexDigitsToLong(thirtyTwoDigits, 16, 32));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // RFC 5952 section 4: lowercase, no leading zeros, the longest zero run, the first of equal runs
        "20010db8000000000000000000000001, 2001:db8::1",
        "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
        "20010db8000000000001000000000000, 2001:db8:0:0:1::",
        "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
        "20010db8000000000000000100000000, 2001:db8::1:0:0",
        "00000000000000000000000000000000, ::",
        "00000000000000000000000000000001, ::1",
        "00010000000000000000000000000000, 1::",
        "fe800000000000000000000000000000, fe80::",
        "20010DB8ABCD0000000000000000EF00, 2001:db8:abcd::ef00",
        "ff0200000000000000000001ff00000b, ff02::1:ff00:b",
        // dotted forms as glibc prints them
        "00000000000000000000ffffc0000201, ::ffff:192.0.2.1",
        "00000000000000000000ffff00000000, ::ffff:0.0.0.0",
        "000000000000000000000000c0000201, ::192.0.2.1",
        "00000000000000000000000000010000, ::0.1.0.0",
        "0064ff9b0000000000000000c0000201, 64:ff9b::c000:201"})
    void shouldFormatAsInetNtop(String hex, String text) {
        Ipv6 address = hex(hex.trim());
        assertEquals(text, address.toString());
        assertEquals(text, Glibc.inetNtop(address.hi(), address.lo()), "glibc agrees");
        assertEquals(address, Ipv6.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2001:DB8::A                             | 20010db800000000000000000000000a",
        "2001:0db8:0000:0000:0000:0000:0000:0001 | 20010db8000000000000000000000001",
        "1:2:3:4:5:6:7::                         | 00010002000300040005000600070000",
        "::2:3:4:5:6:7:8                         | 00000002000300040005000600070008",
        "1:2:3:4:5:6:1.2.3.4                     | 00010002000300040005000601020304",
        "::1.2.3.4                               | 00000000000000000000000001020304",
        "::ffff:0.0.0.0                          | 00000000000000000000ffff00000000"})
    void shouldParseAsInetPton(String text, String hex) {
        assertEquals(hex(hex), Ipv6.parse(text));
        assertEquals(hex(hex), Glibc.inetPton(text), "glibc agrees");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2001:db8::g       | '2001:db8::g' is not an IPv6 address (unexpected 'g')",
        "2001:db8:::1      | '2001:db8:::1' is not an IPv6 address (unexpected ':')",
        "1::2::3           | '1::2::3' is not an IPv6 address (more than one '::')",
        ":1::              | ':1::' is not an IPv6 address (a single ':' at the start)",
        "1:2:3:4:5:6:7:    | '1:2:3:4:5:6:7:' is not an IPv6 address (a single ':' at the end)",
        "1:2:3:4:5:6:7     | '1:2:3:4:5:6:7' is not an IPv6 address (7 groups where 8 are needed)",
        "1:2:3:4:5:6:7:8:9 | '1:2:3:4:5:6:7:8:9' is not an IPv6 address (more than 8 groups)",
        "1:2:3:4:5:6:7:8:: | '1:2:3:4:5:6:7:8::' is not an IPv6 address ('::' stands for no group)",
        "12345::           | '12345::' is not an IPv6 address (group '12345' has more than 4 hex digits)",
        "::ffff:01.2.3.4   | '::ffff:01.2.3.4' is not an IPv6 address ('01.2.3.4' is not a dotted IPv4 address)",
        "::256.1.1.1       | '::256.1.1.1' is not an IPv6 address ('256.1.1.1' is not a dotted IPv4 address)",
        "::1.2.3           | '::1.2.3' is not an IPv6 address ('1.2.3' is not a dotted IPv4 address)",
        "1:2:3:4:5:6:7:1.2.3.4 | '1:2:3:4:5:6:7:1.2.3.4' is not an IPv6 address (too many groups before the dotted IPv4 part)",
        "fe80::1%eth0      | 'fe80::1%eth0' is not an IPv6 address (unexpected '%')",
        "192.0.2.1         | '192.0.2.1' is not an IPv6 address (2 groups where 8 are needed)"})
    void shouldRefuseWhatInetPtonRefusesInOneLineNamingTheText(String text, String message) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Ipv6.parse(text));
        assertEquals(message, error.getMessage());
        assertEquals(null, Glibc.inetPton(text), "glibc refuses it too");
    }

    @Test
    void shouldRefuseTheEmptyStringAndNonAsciiDigits() {
        assertEquals("'' is not an IPv6 address (empty)",
                assertThrows(IllegalArgumentException.class, () -> Ipv6.parse("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ipv6.parse("\uFF11::"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6.parse("::\u0661"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "[2001:db8::10]:80   | 2001:db8::10 | 80    | true  | [2001:db8::10]:80",
        "[::1]:0             | ::1          | 0     | true  | [::1]:0",
        "[::ffff:192.0.2.1]:65535 | ::ffff:192.0.2.1 | 65535 | true | [::ffff:192.0.2.1]:65535",
        "[2001:DB8::0010]:443 | 2001:db8::10 | 443  | true  | [2001:db8::10]:443",
        "2001:db8::10        | 2001:db8::10 | 0     | false | 2001:db8::10"})
    void shouldReadAndWriteIpvsadmEndpoints(String text, String address, int port, boolean hasPort, String printed) {
        Ipv6.Endpoint endpoint = Ipv6.Endpoint.parse(text);
        assertEquals(Ipv6.parse(address), endpoint.address());
        assertEquals(port, endpoint.port());
        assertEquals(hasPort, endpoint.hasPort());
        assertEquals(printed, endpoint.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "[2001:db8::10]      | '[2001:db8::10]' is not an IPv6 endpoint (expected [address]:port)",
        "[2001:db8::10]80    | '[2001:db8::10]80' is not an IPv6 endpoint (expected [address]:port)",
        "[2001:db8::10       | '[2001:db8::10' is not an IPv6 endpoint (expected [address]:port)",
        "[2001:db8::10]:     | '[2001:db8::10]:' is not an IPv6 endpoint (port '' is not 0..65535)",
        "[2001:db8::10]:65536 | '[2001:db8::10]:65536' is not an IPv6 endpoint (port '65536' is not 0..65535)",
        "[2001:db8::10]:http | '[2001:db8::10]:http' is not an IPv6 endpoint (port 'http' is not 0..65535)",
        "[2001:db8::1g]:80   | '2001:db8::1g' is not an IPv6 address (unexpected 'g')",
        "2001:db8::10:80:1:2:3:4 | '2001:db8::10:80:1:2:3:4' is not an IPv6 address ('::' stands for no group)"})
    void shouldRefuseMalformedEndpointsInOneLine(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Ipv6.Endpoint.parse(text))
                .getMessage());
    }

    @Test
    void shouldKnowIpv4MappedAddresses() {
        assertTrue(Ipv6.parse("::ffff:192.0.2.1").isIpv4Mapped());
        assertFalse(Ipv6.parse("::192.0.2.1").isIpv4Mapped());
        assertFalse(Ipv6.parse("1::ffff:192.0.2.1").isIpv4Mapped());
    }

    /** The kernel's addr_fold: the XOR of the address's four 32-bit words as they lie in memory, read big-endian. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2001:db8::1,                       20010db9",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff, a8899421",
        "::192.0.2.1,                       c0000201",
        "::ffff:192.0.2.1,                  c000fdfe",
        "::,                                00000000",
    })
    void shouldFoldAnAddressAsIpvsHashesIt(String text, String expected) {
        Ipv6 address = Ipv6.parse(text);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16).putLong(address.hi()).putLong(address.lo())
                .flip();
        int words = bytes.getInt() ^ bytes.getInt() ^ bytes.getInt() ^ bytes.getInt();

        assertEquals(words, Ipv6.fold(address.hi(), address.lo()));
        assertEquals((int) Long.parseLong(expected, 16), Ipv6.fold(address.hi(), address.lo()));
    }

    @Test
    void shouldMapAnIpv4Address() {
        assertEquals(Ipv6.parse("::ffff:192.0.2.1"), new Ipv6(0, Ipv6.mappedLo(Ipv4.parse("192.0.2.1"))));
        assertEquals(Ipv6.parse("::ffff:255.255.255.255"), new Ipv6(0, Ipv6.mappedLo(-1)));
    }

    /** ipv6_addr_prefix: the first bits kept, the rest cleared; checked against a BigInteger mask. */
    @ParameterizedTest(name = "/{0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 31, 48, 63, 64, 65, 96, 127, 128})
    void shouldKeepThePrefixOfTheLength(int prefixLength) {
        Ipv6 address = Ipv6.parse("ffff:eeee:dddd:cccc:bbbb:aaaa:9999:8888");
        java.math.BigInteger whole = new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(address.hi()).putLong(address.lo()).array());
        java.math.BigInteger all = java.math.BigInteger.ONE.shiftLeft(128).subtract(java.math.BigInteger.ONE);
        java.math.BigInteger expected = whole.and(all.shiftRight(prefixLength).xor(all));

        assertEquals(expected.shiftRight(64).longValue(), Ipv6.prefixHi(address.hi(), prefixLength));
        assertEquals(expected.longValue(), Ipv6.prefixLo(address.lo(), prefixLength));
    }
}
