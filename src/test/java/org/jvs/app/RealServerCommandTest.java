package org.jvs.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RealServerCommandTest {

    @Test
    void shouldParseTunnelModeWithDevice() {
        RealServerCommand.Options options = RealServerCommand.parse(new String[] {"--mode", "tun", "--vip", "192.0.2.7", "--dev", "eth1"});
        assertEquals(new RealServerCommand.Options(Ipv4.parse("192.0.2.7"), ForwardingMethod.TUNNEL, "eth1"), options);
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
            "--vip 192.0.2.7 --mode dr -x  | jvs realserver: unknown option '-x' (expected --vip, --mode or --dev)",
            "--vip 192.0.2.7 --mode        | jvs realserver: option '--mode' needs a value",
            "--mode tun                    | jvs realserver: missing --vip (expected --vip a.b.c.d)",
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
