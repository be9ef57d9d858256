package org.jvs.core;

import java.util.HashSet;
import java.util.Set;

import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner of an IPv6 packet's connection: a client's packets and the replies to them (NAT66 from the real
 * server, full NAT to a local port) meet one worker, a persistent service's clients by their prefix.
 */
class SteeringRulesIpv6Test {
    private static final int WORKERS = 4;
    private static final int TCP = Protocol.TCP;
    private static final Ipv6 VIP = Ipv6.parse("2001:db8::1");
    private static final Ipv6 RIP = Ipv6.parse("2001:db8:5::11");
    private static final Ipv6 LIP = Ipv6.parse("2001:db8:1::1");
    private static final int LOWEST = 1024;
    private static final int HIGHEST = 32767;

    private final ServiceTable services = new ServiceTable();

    private VirtualService service(int port, int persistencePrefixLength, ForwardingMethod method, Ipv6 rip) {
        VirtualService service = new VirtualService(TCP, VIP, port, new RoundRobinScheduler());
        if (persistencePrefixLength > 0) {
            service.persistenceTimeoutS(300);
            service.persistencePrefixLength(persistencePrefixLength);
        }
        service.addRealServer(new RealServer(rip, 8080, method, 1));
        services.add(service);
        return service;
    }

    private SteeringRules rules() {
        return SteeringRules.of(WORKERS, services, new int[0], new long[] {LIP.hi(), LIP.lo()}, LOWEST, HIGHEST);
    }

    private static Ipv6 client(int i) {
        return new Ipv6(0x2001_0db8_c000_0000L | (long) i << 16, 0x1234_0000_0000_0000L + i);
    }

    private static int fromClient(SteeringRules rules, Ipv6 client, int clientPort, int vport) {
        return rules.owner6(TCP, client.hi(), client.lo(), clientPort, VIP.hi(), VIP.lo(), vport);
    }

    private static int replyTo(SteeringRules rules, Ipv6 client, int clientPort) {
        return rules.owner6(TCP, RIP.hi(), RIP.lo(), 8080, client.hi(), client.lo(), clientPort);
    }

    @Test
    void shouldSpreadClientsOverWorkersAndSendNatRepliesToTheClientsWorker() {
        service(80, 0, ForwardingMethod.MASQ, RIP);
        SteeringRules rules = rules();

        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            int owner = fromClient(rules, client(i), 40000 + i, 80);
            assertThat(owner).isBetween(0, WORKERS - 1);
            assertThat(replyTo(rules, client(i), 40000 + i)).as("reply of client " + i).isEqualTo(owner);
            used.add(owner);
        }
        assertThat(used).as("every worker takes clients").hasSize(WORKERS);
    }

    @Test
    void shouldKeepEveryClientOfAPrefixOnOneWorkerForAPersistentService() {
        service(80, 64, ForwardingMethod.MASQ, RIP);
        SteeringRules rules = rules();

        Set<Integer> prefixes = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            Ipv6 client = client(i);
            Ipv6 neighbour = new Ipv6(client.hi(), ~client.lo());
            int owner = fromClient(rules, client, 40000, 80);
            assertThat(fromClient(rules, neighbour, 50000 + i, 80)).as("same /64, another port").isEqualTo(owner);
            assertThat(replyTo(rules, neighbour, 50000 + i)).as("its NAT reply").isEqualTo(owner);
            prefixes.add(owner);
        }
        assertThat(prefixes).as("the /64s spread").hasSize(WORKERS);
    }

    @Test
    void shouldHashServicesSharingANatServerAliteWithTheCoarserPrefix() {
        service(80, 0, ForwardingMethod.MASQ, RIP);
        service(443, 48, ForwardingMethod.MASQ, RIP);
        SteeringRules rules = rules();

        for (int i = 0; i < 64; i++) {
            Ipv6 client = client(i);
            Ipv6 sameSlash48 = new Ipv6(client.hi() ^ 0xFFFF, ~client.lo());
            int owner = fromClient(rules, client, 40000, 443);
            assertThat(fromClient(rules, sameSlash48, 1 + i, 80)).isEqualTo(owner);
            assertThat(replyTo(rules, sameSlash48, 1 + i)).isEqualTo(owner);
        }
    }

    @Test
    void shouldSendAFullNatReplyToTheWorkerOfItsLocalPort() {
        service(80, 0, ForwardingMethod.FULLNAT, RIP);
        SteeringRules rules = rules();

        for (int port = LOWEST; port < LOWEST + 16; port++) {
            assertThat(rules.owner6(TCP, RIP.hi(), RIP.lo(), 8080, LIP.hi(), LIP.lo(), port))
                    .isEqualTo(port % WORKERS);
        }
        assertThat(rules.owner6(TCP, RIP.hi(), RIP.lo(), 8080, LIP.hi(), LIP.lo(), HIGHEST + 1))
                .as("outside the local ports").isEqualTo(SteeringRules.ANY);
    }

    @Test
    void shouldLeaveOtherPacketsToWhoeverReceivedThem() {
        service(80, 0, ForwardingMethod.MASQ, RIP);
        SteeringRules rules = rules();
        Ipv6 client = client(1);

        assertThat(fromClient(rules, client, 40000, 81)).as("the VIP, another port").isEqualTo(SteeringRules.ANY);
        assertThat(rules.owner6(TCP, client.hi(), client.lo(), 40000, LIP.hi(), LIP.hi(), 80))
                .isEqualTo(SteeringRules.ANY);
        assertThat(rules.owner6(Protocol.UDP, RIP.hi(), RIP.lo(), 8080, client.hi(), client.lo(), 40000))
                .as("not the NAT server's protocol").isEqualTo(SteeringRules.ANY);
        assertThat(SteeringRules.single().owner6(TCP, client.hi(), client.lo(), 1, VIP.hi(), VIP.lo(), 80)).isZero();
    }

    @Test
    void shouldKeepIpv6ServicesOutOfTheIpv4SteeringProgram() {
        service(80, 64, ForwardingMethod.MASQ, RIP);
        SteeringRules rules = rules();

        assertThat(rules.virtualAddresses()).isEmpty();
        assertThat(rules.serviceEntries()).isEmpty();
        assertThat(rules.natRealServerEntries()).isEmpty();
    }
}
