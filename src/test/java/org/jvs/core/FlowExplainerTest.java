package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;
import org.jvs.service.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.RS2;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.DirectorTest.WEB;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.DIRECTOR_SERVER_IP;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

/** {@code ./jvs explain}'s text for each forwarding method, and that explaining changes nothing. */
class FlowExplainerTest {
    static final int LIP = ip(192, 0, 2, 100);
    static final long S = 1_000_000_000L;

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);

    FlowExplainerTest() {
        director.now(S);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, DIRECTOR_SERVER_IP));
        feed(SERVER_SIDE, Frames.arp(2, DirectorTest.RS2_MAC, RS2, SERVER_SIDE_MAC, DIRECTOR_SERVER_IP));
        host.drain();
    }

    void feed(int ifindex, byte[] frame) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    void service(String scheduler, ForwardingMethod method, int... servers) throws ControlException {
        config.addService(new ServiceSpec(WEB, scheduler, "", 0, -1));
        for (int server : servers) {
            config.addRealServer(WEB, new RealServerSpec(server, 8080, method, 1, 0, 0));
        }
    }

    /** A SYN from CLIENT:port; returns the frame sent on. */
    byte[] connect(int clientPort) {
        feed(CLIENT_SIDE, FullNatDirectorTest.fromClient(clientPort));
        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        return out.get(0).frame();
    }

    String explain(int clientPort) {
        FlowExplanation existing = FlowExplainer.existing(director, Protocol.TCP, CLIENT, clientPort, VIP, 80);
        return (existing != null ? existing
                : FlowExplainer.hypothetical(director, Protocol.TCP, CLIENT, clientPort, VIP, 80)).text();
    }

    /** The text with runs of spaces made one, so that expectations need not repeat the column widths. */
    static String oneSpaced(String text) {
        return text.replaceAll(" {2,}", " ");
    }

    static List<Arguments> methods() {
        return List.of(
                Arguments.of(ForwardingMethod.MASQ, List.of(
                        "NAT (masquerading, -m)",
                        "director -> server 198.51.100.2:40000 -> 192.0.2.11:8080 destination rewritten (DNAT)",
                        "director -> client 203.0.113.10:80 -> 198.51.100.2:40000 source rewritten back to the VIP")),
                Arguments.of(ForwardingMethod.FULLNAT, List.of(
                        "full NAT (-b)",
                        "director -> server 192.0.2.100:",
                        "server -> director 192.0.2.11:8080",
                        "director -> client 203.0.113.10:80 -> 198.51.100.2:40000 both rewritten back")),
                Arguments.of(ForwardingMethod.ROUTE, List.of(
                        "direct routing (-g)",
                        "unchanged; Ethernet to 02:bb:00:00:00:11 on",
                        "server -> client 203.0.113.10:80 -> 198.51.100.2:40000 directly, not through the director")),
                Arguments.of(ForwardingMethod.TUNNEL, List.of(
                        "IPIP tunnel (-i)",
                        "director -> server 192.0.2.1 -> 192.0.2.11 IPIP, inside:",
                        " 198.51.100.2:40000 -> 203.0.113.10:80 unchanged")));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void shouldDescribeAnExistingConnectionsRewritesPerMethod(ForwardingMethod method, List<String> expected)
            throws ControlException {
        service("rr", method, RS1);
        if (method == ForwardingMethod.FULLNAT) {
            config.addLocalAddress(WEB, new LocalAddressSpec(LIP, ""));
        }
        connect(40000);

        String text = explain(40000);

        assertThat(text).startsWith("TCP 198.51.100.2:40000 -> 203.0.113.10:80: an existing connection\n");
        assertThat(text).contains("1. service", "TCP 203.0.113.10:80, scheduler rr",
                "real server 192.0.2.11:", ", chosen when the connection opened",
                "persistence  none (the service is not persistent)", "state        SYN_RECV (active), 60 s left of 60 s");
        for (String line : expected) {
            assertThat(oneSpaced(text)).contains(line);
        }
    }

    @Test
    void shouldNameTheTunnelOfAGueOrGreServer() throws ControlException {
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.TUNNEL, 1, 0, 0,
                new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM)));
        connect(40000);
        config.editRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.TUNNEL, 1, 0, 0,
                new Tunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM)));

        assertThat(oneSpaced(explain(40000))).as("an open connection follows its server's tunnel, as the kernel")
                .contains("GRE tunnel (-i --tun-type gre --tun-csum)",
                        "director -> server 192.0.2.1 -> 192.0.2.11 GRE, inside:")
                .doesNotContain("GUE");
        assertThat(oneSpaced(explain(40001))).as("a new one takes the server's").contains(
                "GRE tunnel (-i --tun-type gre --tun-csum)", "director -> server 192.0.2.1 -> 192.0.2.11 GRE, inside:");
    }

    @Test
    void shouldNameTheLocalAddressAndPortOfAFullNatConnection() throws ControlException {
        service("rr", ForwardingMethod.FULLNAT, RS1);
        config.addLocalAddress(WEB, new LocalAddressSpec(LIP, ""));
        int lport = Frames.sourcePort(connect(40000));

        assertThat(oneSpaced(explain(40000))).contains("director -> server 192.0.2.100:" + lport + " -> 192.0.2.11:8080");
    }

    @Test
    void shouldExplainAHypotheticalRoundRobinChoiceWithoutMovingTheCursor() throws ControlException {
        service("rr", ForwardingMethod.MASQ, RS1, RS2);
        connect(40000); // rr: RS1; next is RS2

        String first = explain(40001);
        String second = explain(40001);

        assertThat(first).isEqualTo(second);
        assertThat(first).contains("no connection; a new one", "rr (exact):", "-> 192.0.2.12:8080",
                "192.0.2.12:8080 weight 1  <- next");
        byte[] sent = connect(40001);
        assertThat(Frames.ipDestination(sent)).isEqualTo(RS2);
    }

    @Test
    void shouldSayWhenNoServiceMatchesOrTheVipIsOnStandby() throws ControlException {
        assertThat(explain(40000)).contains("none: no virtual service TCP 203.0.113.10:80");
        service("rr", ForwardingMethod.MASQ, RS1);
        config.standby(VIP, true);
        assertThat(explain(40000)).contains("is on VRRP standby");
    }

    @Test
    void shouldShowTheSourceHashBucketAndThePersistenceTemplate() throws ControlException {
        config.addService(new ServiceSpec(WEB, "sh", "", 300, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
        config.addRealServer(WEB, new RealServerSpec(RS2, 8080, ForwardingMethod.MASQ, 1, 0, 0));

        String before = explain(FlowExplainer.ANY_PORT);
        assertThat(before).contains("sh (exact):", "hash_32(client address 198.51.100.2) = bucket ",
                "no template for 198.51.100.2/32: the scheduler's choice starts one for 300 s");
        connect(40000);
        assertThat(explain(40001)).contains("template TCP 198.51.100.2 -> 203.0.113.10:80 -> 192.0.2.",
                "1 connection(s) under it", "not asked: the persistence template chose");
    }
}
