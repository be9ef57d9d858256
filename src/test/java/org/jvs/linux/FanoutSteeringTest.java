package org.jvs.linux;

import java.util.Random;

import org.jvs.core.ServiceTable;
import org.jvs.core.SteeringRules;
import org.jvs.packet.FrameBuilder;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.packet.Reference.ip;

/**
 * The kernel's steering program agrees with the rules the workers apply in Java: run in a classic BPF interpreter
 * over thousands of frames of random configurations, it picks the worker {@link SteeringRules#owner} names for
 * every TCP and UDP packet that has an owner, and one worker for all the pieces of a datagram.
 */
class FanoutSteeringTest {
    static final int VIP1 = ip(203, 0, 113, 10);
    static final int VIP2 = ip(203, 0, 113, 11);
    static final int RS1 = ip(192, 0, 2, 21);
    static final int RS2 = ip(192, 0, 2, 22);
    static final int LIP = ip(192, 0, 2, 100);
    static final int[] ADDRESSES = {VIP1, VIP2, RS1, RS2, LIP, ip(198, 51, 100, 7), ip(198, 51, 100, 8),
            ip(198, 18, 0, 2)};
    static final int[] PORTS = {80, 443, 53, 8080, 0, 1024, 1025, 4000, 32767, 40000, 9};

    @Test
    void shouldSteerEveryOwnedPacketToTheWorkerTheJavaRulesName() {
        Random random = new Random(20261207);
        int checked = 0;
        for (int config = 0; config < 200; config++) {
            int workers = 2 + random.nextInt(3);
            SteeringRules rules = randomRules(random, workers);
            byte[] program = FanoutSteering.assemble(rules);
            for (int frame = 0; frame < 400; frame++) {
                int protocol = random.nextBoolean() ? Protocol.TCP : Protocol.UDP;
                int source = pick(random, ADDRESSES);
                int destination = pick(random, ADDRESSES);
                int sourcePort = random.nextInt(4) == 0 ? pick(random, PORTS) : 1 + random.nextInt(65535);
                int destinationPort = random.nextInt(4) == 0 ? 1 + random.nextInt(65535) : pick(random, PORTS);
                FrameBuilder builder = new FrameBuilder().protocol(protocol).source(source).destination(destination)
                        .ports(sourcePort, destinationPort);
                if (random.nextInt(5) == 0) {
                    builder.ipOptions(new byte[] {1, 1, 1, 0});
                }
                int owner = rules.owner(protocol, source, sourcePort, destination, destinationPort);
                if (owner != SteeringRules.ANY) {
                    int steered = Integer.remainderUnsigned(ClassicBpf.run(program, builder.bytes()), workers);
                    assertThat(steered).as("config %d frame %d: %s %d:%d -> %d:%d; %s %s", config, frame, protocol,
                            source, sourcePort, destination, destinationPort, rules.serviceEntries(), rules.natRealServerEntries()).isEqualTo(owner);
                    checked++;
                }
            }
        }
        assertThat(checked).as("frames with an owner").isGreaterThan(5_000);
    }

    @Test
    void shouldSteerEveryPieceOfADatagramToOneWorker() {
        Random random = new Random(7);
        SteeringRules rules = randomRules(random, 2);
        byte[] program = FanoutSteering.assemble(rules);
        for (int datagram = 0; datagram < 500; datagram++) {
            int source = random.nextInt();
            int destination = pick(random, ADDRESSES);
            int first = ClassicBpf.run(program, new FrameBuilder().udp().source(source).destination(destination)
                    .ports(random.nextInt(65536), 53).flagsAndFragment(0x2000).bytes()) & 1;
            int later = ClassicBpf.run(program, new FrameBuilder().udp().source(source).destination(destination)
                    .ports(random.nextInt(65536), random.nextInt(65536)).flagsAndFragment(185).bytes()) & 1;
            assertThat(later).isEqualTo(first);
        }
    }

    @Test
    void shouldSendWhatItCannotPlaceToWorkerZero() {
        SteeringRules rules = randomRules(new Random(1), 3);
        byte[] program = FanoutSteering.assemble(rules);
        byte[] icmp = new FrameBuilder().protocol(Protocol.ICMP).source(RS1).destination(VIP1).bytes();
        byte[] arp = new FrameBuilder().udp().source(RS1).destination(VIP1).bytes();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertThat(ClassicBpf.run(program, icmp)).isZero();
        assertThat(ClassicBpf.run(program, arp)).isZero();
        assertThat(ClassicBpf.run(program, java.util.Arrays.copyOf(icmp, 20))).isZero();
    }

    @Test
    void shouldLeaveOutPerServiceRulesRatherThanPassTheKernelsLimit() {
        ServiceTable services = new ServiceTable();
        for (int i = 0; i < 2000; i++) {
            VirtualService service = new VirtualService(Protocol.TCP, VIP1 + i, 80, SchedulerRegistry.create("rr"));
            service.persistenceTimeoutS(300);
            service.persistenceNetmask(-1);
            services.add(service);
        }
        SteeringRules rules = SteeringRules.of(2, services, new int[0], 1024, 32767);
        byte[] program = FanoutSteering.assemble(rules);
        assertThat(program.length / 8).isLessThanOrEqualTo(FanoutSteering.MAX_INSTRUCTIONS);
        assertThat(ClassicBpf.run(program, new FrameBuilder().source(RS1).destination(VIP1).ports(1, 80).bytes()))
                .as("a VIP's packet still hashes by its client").isNotNegative();
    }

    /** Services at two VIPs, some persistent (with and without a port), NAT, DR and full-NAT real servers. */
    static SteeringRules randomRules(Random random, int workers) {
        ServiceTable services = new ServiceTable();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            int protocol = random.nextBoolean() ? Protocol.TCP : Protocol.UDP;
            int vip = random.nextBoolean() ? VIP1 : VIP2;
            int port = pick(random, new int[] {80, 443, 53, 0});
            if (services.find(protocol, vip, port) != null) {
                continue;
            }
            VirtualService service = new VirtualService(protocol, vip, port, SchedulerRegistry.create("rr"));
            if (random.nextInt(3) == 0) {
                service.persistenceTimeoutS(300);
                service.persistenceNetmask(random.nextBoolean() ? -1 : 0xFFFFFF00);
            }
            int servers = 1 + random.nextInt(2);
            for (int s = 0; s < servers; s++) {
                ForwardingMethod method = ForwardingMethod.values()[random.nextInt(ForwardingMethod.values().length)];
                int address = random.nextBoolean() ? RS1 : RS2;
                int realPort = method.translatesReplies() ? pick(random, new int[] {8080, 80, 53}) : port;
                if (service.findRealServer(address, realPort) == null) {
                    service.addRealServer(new RealServer(address, realPort, method, 1));
                }
            }
            services.add(service);
        }
        int[] locals = random.nextBoolean() ? new int[] {LIP} : new int[] {LIP, RS2 + 100};
        return SteeringRules.of(workers, services, locals, 1024, 32767);
    }

    static int pick(Random random, int[] values) {
        return values[random.nextInt(values.length)];
    }
}
