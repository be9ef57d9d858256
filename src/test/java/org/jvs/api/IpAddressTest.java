package org.jvs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.jvs.service.Ipv6;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "192.0.2.1, IPv4, 192.0.2.1:80",
        "0.0.0.0, IPv4, 0.0.0.0:80",
        "2001:db8::10, IPv6, [2001:db8::10]:80",
        "2001:DB8:0:0:0:0:0:10, IPv6, [2001:db8::10]:80",
        "::ffff:192.0.2.1, IPv6, [::ffff:192.0.2.1]:80",
        "::, IPv6, [::]:80"})
    void shouldReadAndPrintAsIpvsadmDoes(String text, String family, String withPort) {
        IpAddress address = IpAddress.parse(text);
        assertEquals(family, address.family().toString());
        assertEquals(withPort, address.withPort(80));
        assertEquals(address, IpAddress.parse(address.toString()));
    }

    @Test
    void shouldKeepTheIpv4IntOfTheHotPath() {
        IpAddress address = IpAddress.ofIpv4(0xC6120001);
        assertTrue(address.isIpv4());
        assertEquals(0xC6120001, address.ipv4());
        assertEquals("198.18.0.1", address.toString());
        assertEquals(IpAddress.parse("198.18.0.1"), address);
        assertThrows(IllegalStateException.class, address::ipv6);
    }

    @Test
    void shouldHoldIpv6AsTheTwoLongsOfServiceIpv6() {
        Ipv6 v6 = Ipv6.parse("2001:db8::2");
        IpAddress address = IpAddress.ofIpv6(v6);
        assertFalse(address.isIpv4());
        assertEquals(v6, address.ipv6());
        assertEquals(10, address.family().af());
        assertEquals(128, address.family().bits());
        assertThrows(IllegalStateException.class, address::ipv4);
    }

    @Test
    void shouldNotTakeAnIpv4AddressThatIsNot() {
        assertThrows(IllegalArgumentException.class, () -> new IpAddress(IpAddress.Family.IPV4, 0, 1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress(IpAddress.Family.IPV4, 1, 0));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"192.0.2", "192.0.2.256", "2001:db8:::1", "2001:db8::g", "''"})
    void shouldRefuseMalformedTextNamingIt(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(text));
        assertTrue(refused.getMessage().startsWith("'" + text + "' is not an IPv"), refused.getMessage());
    }

    @Test
    void shouldGiveTheWordsOfUnionNfInetAddr() {
        IpAddress v6 = IpAddress.parse("2001:db8:1:2:3:4:5:6");
        assertEquals(List.of(0x20010db8, 0x00010002, 0x00030004, 0x00050006),
                List.of(v6.word(0), v6.word(1), v6.word(2), v6.word(3)));
        IpAddress v4 = IpAddress.parse("10.0.0.1");
        assertEquals(List.of(0x0a000001, 0, 0, 0), List.of(v4.word(0), v4.word(1), v4.word(2), v4.word(3)));
    }

    @Test
    void shouldGiveTheCheckersASocketAddressOfItsFamily() throws Exception {
        assertEquals(InetAddress.getByName("2001:db8::2"), IpAddress.parse("2001:db8::2").inetAddress());
        assertTrue(IpAddress.parse("2001:db8::2").inetAddress() instanceof Inet6Address);
        assertEquals(InetAddress.getByName("192.0.2.7"), IpAddress.parse("192.0.2.7").inetAddress());
        assertTrue(IpAddress.parse("192.0.2.7").inetAddress() instanceof Inet4Address);
    }

    @Test
    void shouldOrderIpv4FirstThenUnsigned() {
        List<IpAddress> addresses = new ArrayList<>(List.of(IpAddress.parse("2001:db8::1"), IpAddress.parse("::1"),
                IpAddress.parse("ff02::1"), IpAddress.parse("198.18.0.1"), IpAddress.parse("10.0.0.1")));
        addresses.sort(null);
        assertEquals("[10.0.0.1, 198.18.0.1, ::1, 2001:db8::1, ff02::1]", addresses.toString());
    }
}
