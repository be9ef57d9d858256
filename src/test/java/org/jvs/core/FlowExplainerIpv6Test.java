package org.jvs.core;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.conn.ConnectionTable;
import org.jvs.net.KernelBypass;
import org.jvs.packet.TcpHeader;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.FlowExplainerTest.oneSpaced;

/** {@code ./jvs explain} of an IPv6 flow: its service, template by prefix, scheduler and rewrites, new or existing. */
class FlowExplainerIpv6Test {
    private static final int TCP = Protocol.TCP;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8::1");
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private static final Ipv6 NEIGHBOUR = Ipv6.parse("2001:db8:c::8");
    private static final Ipv6 LIP = Ipv6.parse("2001:db8:1::1");

    private final InMemoryHost host = new InMemoryHost();
    private final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    private final RealServer rs1 = new RealServer(Ipv6.parse("2001:db8:5::11"), 8080, ForwardingMethod.MASQ, 1);
    private final RealServer rs2 = new RealServer(Ipv6.parse("2001:db8:5::12"), 8080, ForwardingMethod.MASQ, 1);

    private VirtualService service(int persistencePrefixLength, ForwardingMethod method) {
        VirtualService service = new VirtualService(TCP, VIP, 80, new RoundRobinScheduler());
        if (persistencePrefixLength > 0) {
            service.persistenceTimeoutS(300);
            service.persistencePrefixLength(persistencePrefixLength);
        }
        rs1.method(method);
        rs2.method(method);
        service.addRealServer(rs1);
        service.addRealServer(rs2);
        director.services().add(service);
        return service;
    }

    private String explain(Ipv6 client, int clientPort, int vport) {
        FlowExplanation existing = FlowExplainer.existing6(director, TCP, client.hi(), client.lo(), clientPort,
                VIP.hi(), VIP.lo(), vport);
        return oneSpaced((existing != null ? existing : FlowExplainer.hypothetical6(director, TCP, client.hi(),
                client.lo(), clientPort, VIP.hi(), VIP.lo(), vport)).text());
    }

    @Test
    void shouldExplainANewNatConnectionWithItsIpv6Rewrites() {
        service(0, ForwardingMethod.MASQ);

        String text = explain(CLIENT, 40000, 80);

        assertThat(text).startsWith("TCP [2001:db8:c::7]:40000 -> [2001:db8::1]:80: no connection; a new one\n");
        assertThat(text).contains("TCP [2001:db8::1]:80, scheduler rr", "rr (exact):", "none (the service is not"
                + " persistent)", "director -> server [2001:db8:c::7]:40000 -> [2001:db8:5::11]:8080 destination"
                + " rewritten (DNAT)", "director -> client [2001:db8::1]:80 -> [2001:db8:c::7]:40000 source rewritten"
                + " back to the VIP", "PROXY none", "state would open in SYN_RECV with 60 s");
    }

    @Test
    void shouldSayATemplateOfTheClientsPrefixKeepsItsServer() {
        service(64, ForwardingMethod.MASQ);
        RealServer kept = director.persistence().schedule6(director.services().match6(TCP, VIP.hi(), VIP.lo(), 80),
                TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, director.nowNs());

        String text = explain(NEIGHBOUR, 50000, 80);

        assertThat(text).contains("persistent 300 s per /64", "template TCP 2001:db8:c:: -> [2001:db8::1]:80 -> "
                + kept, "not asked: the persistence template chose " + kept);
        assertThat(explain(Ipv6.parse("2001:db8:d::7"), 50000, 80)).contains("no template for 2001:db8:d::/64");
    }

    @Test
    void shouldNameTheNextIpv6LocalAddressOfANewFullNatConnection() throws ControlException {
        VirtualService service = service(0, ForwardingMethod.FULLNAT);
        director.localAddresses().add(service, new LocalAddressSpec(IpAddress.ofIpv6(LIP), ""));

        assertThat(explain(CLIENT, 40000, 80)).contains("director -> server [2001:db8:1::1]:<port> ->"
                + " [2001:db8:5::11]:8080", "local address 2001:db8:1::1 (next in the service's round robin");
        assertThat(director.localAddresses().next6(service)).as("round robin not moved").isZero();
    }

    @Test
    void shouldExplainAnExistingFullNatConnectionByItsEntry() {
        service(0, ForwardingMethod.FULLNAT);
        ConnectionTable table = director.connections();
        int id = table.create6(TCP, CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, rs2, 8080, LIP.hi(),
                LIP.lo(), 1030, true, director.nowNs());
        table.onTcpPacket(id, true, TcpHeader.SYN, director.nowNs());

        for (int clientPort : new int[] {40000, FlowExplainer.ANY_PORT}) {
            String text = explain(CLIENT, clientPort, 80);
            assertThat(text).contains(": an existing connection", "real server [2001:db8:5::12]:8080, chosen when the"
                    + " connection opened", "director -> server [2001:db8:1::1]:1030 -> [2001:db8:5::12]:8080",
                    "server -> director [2001:db8:5::12]:8080 -> [2001:db8:1::1]:1030",
                    "state SYN_RECV (active), 60 s left of 60 s");
        }
        assertThat(explain(NEIGHBOUR, 40000, 80)).contains("no connection; a new one");
    }

    @Test
    void shouldSayWhenNoIpv6ServiceMatches() {
        service(0, ForwardingMethod.MASQ);

        assertThat(explain(CLIENT, 40000, 81)).contains("none: no virtual service TCP [2001:db8::1]:81 (the VIP has"
                + " services on other ports)");
    }
}
