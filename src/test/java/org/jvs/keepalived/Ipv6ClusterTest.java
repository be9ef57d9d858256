package org.jvs.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvs.keepalived.config.KeepalivedConfigParser;

/**
 * A keepalived.conf with IPv6 virtual servers on a director that does not forward IPv6 yet: its IPv4 virtual servers
 * load, and each IPv6 one is refused once, named, with none of its real servers tried.
 */
class Ipv6ClusterTest {
    @TempDir
    Path dir;

    @Test
    void shouldLoadTheIpv4VirtualServersAndRefuseEachIpv6OneOnce() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, """
                virtual_server_group v6web {
                    2001:db8::1-2 443
                }
                virtual_server 2001:db8::10 80 {
                    real_server 2001:db8::2 80 {
                    }
                }
                virtual_server 192.0.2.1 80 {
                    lb_kind DR
                    real_server 198.51.100.2 80 {
                    }
                }
                virtual_server group v6web {
                    real_server 2001:db8::3 443 {
                    }
                }
                """);
        Harness h = new Harness();
        h.director.refuseIpv6 = true;

        List<String> failures = h.manager.apply(KeepalivedConfigParser.parse(file));

        String why = ": IPv6 virtual services are not forwarded yet (JVS's data plane is IPv4-only)";
        assertEquals(List.of(
                file + ":4: cannot add virtual server TCP [2001:db8::10]:80: [2001:db8::10]:80" + why,
                file + ":13: cannot add virtual server TCP [2001:db8::1]:443: [2001:db8::1]:443" + why,
                file + ":13: cannot add virtual server TCP [2001:db8::2]:443: [2001:db8::2]:443" + why), failures);
        assertEquals(List.of("addService TCP [2001:db8::10]:80", "addService TCP 192.0.2.1:80",
                "add 198.51.100.2:80 w1 to TCP 192.0.2.1:80", "addService TCP [2001:db8::1]:443",
                "addService TCP [2001:db8::2]:443"), h.director.calls);
    }
}
