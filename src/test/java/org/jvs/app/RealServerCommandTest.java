package org.jvs.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.api.IpAddress;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Ipv4;
import org.jvs.service.TunnelType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RealServerCommandTest {

    @Test
    void shouldParseTunnelModeWithDevice() {
        RealServerCommand.Options options = RealServerCommand.parse(new String[] {"--mode", "tun", "--vip", "192.0.2.7", "--dev", "eth1"});
        assertEquals(new RealServerCommand.Options(IpAddress.ofIpv4(Ipv4.parse("192.0.2.7")), ForwardingMethod.TUNNEL, "eth1"), options);
    }

    @Test
    void shouldParseGueWithItsPortAndGre() {
        assertEquals(new RealServerCommand.Options(IpAddress.ofIpv4(Ipv4.parse("192.0.2.7")), ForwardingMethod.TUNNEL, null,
                        TunnelType.GUE, 6080),
                RealServerCommand.parse(new String[] {"--vip", "192.0.2.7", "--mode", "tun", "--tun-type", "gue",
                    "--tun-port", "6080"}));
        assertEquals(new RealServerCommand.Options(IpAddress.ofIpv4(Ipv4.parse("192.0.2.7")), ForwardingMethod.TUNNEL, null,
                        TunnelType.GRE, 0),
                RealServerCommand.parse(new String[] {"--vip", "192.0.2.7", "--mode", "tun", "--tun-type", "gre"}));
        assertEquals(TunnelType.IPIP, RealServerCommand.parse(new String[] {"--vip", "192.0.2.7", "--mode", "tun"})
                .tunnelType());
    }

    @Test
    void shouldParseAnIpv6Vip() {
        assertEquals(new RealServerCommand.Options(IpAddress.ofIpv6(Ipv6.parse("2001:db8::7")), ForwardingMethod.TUNNEL, null),
                RealServerCommand.parse(new String[] {"--vip", "2001:db8::7", "--mode", "tun"}));
    }

    @Test
    void shouldParseDirectRoutingWithoutDevice() {
        RealServerCommand.Options options = RealServerCommand.parse(new String[] {"--vip", "192.0.2.7", "--mode", "dr"});
        assertEquals(ForwardingMethod.ROUTE, options.method());
        assertNull(options.device());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "--vip 192.0.2.300 --mode dr   | jvs realserver: '192.0.2.300' is not an IPv4 address (octet 300 > 255)",
            "--vip 192.0.2.7 --mode nat    | jvs realserver: mode 'nat' is not supported (expected dr or tun)",
            "--vip 192.0.2.7 --mode dr -x  | jvs realserver: unknown option '-x' (expected --vip, --mode, --tun-type, --tun-port, --dev)",
            "--vip 192.0.2.7 --mode tun --tun-type vxlan | jvs realserver: tunnel type 'vxlan' is not known (expected ipip, gue or gre)",
            "--vip 192.0.2.7 --mode tun --tun-type gue | jvs realserver: missing --tun-port for --tun-type gue (expected the port the director's --tun-port names, 1..65535)",
            "--vip 192.0.2.7 --mode tun --tun-type gue --tun-port 0 | jvs realserver: '--tun-port 0' is not a port (expected 1..65535)",
            "--vip 192.0.2.7 --mode tun --tun-type gue --tun-port x | jvs realserver: '--tun-port x' is not a port (expected 1..65535)",
            "--vip 192.0.2.7 --mode tun --tun-type gre --tun-port 6080 | jvs realserver: '--tun-port 6080' is only for --tun-type gue",
            "--vip 192.0.2.7 --mode tun --tun-port 6080 | jvs realserver: '--tun-port 6080' is only for --tun-type gue",
            "--vip 192.0.2.7 --mode dr --tun-type gre | jvs realserver: '--tun-type gre' is only for --mode tun",
            "--vip 192.0.2.7 --mode        | jvs realserver: option '--mode' needs a value",
            "--mode tun                    | jvs realserver: missing --vip (expected --vip a.b.c.d or an IPv6 address)",
            "--vip 2001:db8::7 --mode tun --tun-type gue --tun-port 6080 | jvs realserver: '--tun-type gue' is only for an IPv4 VIP (an IPv6 VIP's tunnel is IPv6 in IPv6 or in IPv4, --tun-type ipip)",
            "--vip 192.0.2.7               | jvs realserver: missing --mode (expected --mode dr or --mode tun)",
            "--vip 192.0.2.7 --mode dr --dev a/b | jvs realserver: 'a/b' is not an interface name (expected 1-15 characters, no '/' or space)",
    })
    void shouldRejectBadArgumentsWithOneLineNamingTheToken(String arguments, String expectedError) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = RealServerCommand.run(arguments.trim().split(" +"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, exit);
        assertEquals(expectedError + "\n" + RealServerCommand.USAGE + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing may be configured on bad arguments");
    }
}
