package org.jvs.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.linux.VethNamespaces.L1;
import static org.jvs.linux.VethNamespaces.L2;
import static org.jvs.linux.VethNamespaces.V1;
import static org.jvs.linux.VethNamespaces.V1_MAC;
import static org.jvs.linux.VethNamespaces.V2;
import static org.jvs.linux.VethNamespaces.V2_MAC;
import static org.jvs.packet.Reference.ip;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.core.ServiceTable;
import org.jvs.core.SteeringRules;
import org.jvs.packet.FrameBuilder;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * The kernel runs the steering program as the workers' rules say: two ports of one fanout group on a veth, and
 * each frame the peer sends lands on the port {@link SteeringRules#owner} names, for client packets of a plain
 * and of a persistent service, NAT replies and full-NAT replies to a local address.
 */
@Tag("netns")
class AfPacketFanoutNetnsTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int VIP = ip(203, 0, 113, 10);
    static final int CLIENT = ip(198, 51, 100, 2);
    static final int RS = ip(192, 0, 2, 11);
    static final int LIP = ip(192, 0, 2, 100);

    private static NamespaceThread inL1;

    @BeforeAll
    static void createNamespaces() throws Exception {
        try {
            VethNamespaces.create();
            inL1 = new NamespaceThread(L1);
        } catch (Exception | Error e) {
            VethNamespaces.destroy();
            throw e;
        }
    }

    @AfterAll
    static void deleteNamespaces() {
        try {
            if (inL1 != null) {
                inL1.close();
            }
        } finally {
            VethNamespaces.destroy();
        }
    }

    @Test
    void shouldDeliverEachFrameToTheWorkerTheRulesName() throws Exception {
        ServiceTable services = new ServiceTable();
        VirtualService web = new VirtualService(Protocol.TCP, VIP, 80, SchedulerRegistry.create("rr"));
        web.addRealServer(new RealServer(RS, 8080, ForwardingMethod.MASQ, 1));
        services.add(web);
        VirtualService dns = new VirtualService(Protocol.UDP, VIP, 53, SchedulerRegistry.create("rr"));
        dns.persistenceTimeoutS(300);
        dns.persistenceNetmask(0xFFFFFF00);
        dns.addRealServer(new RealServer(RS, 5353, ForwardingMethod.MASQ, 1));
        services.add(dns);
        SteeringRules rules = SteeringRules.of(2, services, new int[] {LIP}, 1024, 32767);

        Map<Integer, Integer> expected = new HashMap<>();
        Map<Integer, Integer> received = new HashMap<>();
        try (AfPacketPort first = inL1.call(() -> AfPacketPort.open(V1));
             AfPacketPort second = inL1.call(() -> AfPacketPort.open(V1));
             NamespaceThread inL2 = new NamespaceThread(L2);
             AfPacketPort peer = inL2.call(() -> AfPacketPort.open(V2))) {
            int group = 0x4a56;
            first.joinFanoutGroup(group);
            second.joinFanoutGroup(group);
            first.steerFanoutGroup(FanoutSteering.assemble(rules));
            int marker = 0;
            for (int i = 0; i < 200; i++) {
                int client = CLIENT + (i % 7);
                int port = 20_000 + i * 13;
                FrameBuilder[] frames = {
                    new FrameBuilder().source(client).destination(VIP).ports(port, 80),
                    new FrameBuilder().udp().source(client).destination(VIP).ports(port, 53),
                    new FrameBuilder().source(RS).destination(client).ports(8080, port),
                    new FrameBuilder().udp().source(RS).destination(client).ports(5353, port),
                    new FrameBuilder().source(RS).destination(LIP).ports(8080, 1024 + i),
                };
                for (FrameBuilder frame : frames) {
                    byte[] bytes = frame.identification(marker).bytes();
                    int protocol = bytes[23];
                    int owner = rules.owner(protocol, Frames.word(bytes, 26), Frames.half(bytes, 34),
                            Frames.word(bytes, 30), Frames.half(bytes, 36));
                    expected.put(marker, owner);
                    byte[] framed = withMacs(bytes);
                    assertThat(peer.send(MemorySegment.ofArray(framed), 0, framed.length)).isTrue();
                    marker++;
                }
                peer.flush();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < expected.size() && System.nanoTime() < deadline) {
                first.receive((ifindex, frame, offset, length, flags) -> record(received, frame, offset, 0), 256);
                second.receive((ifindex, frame, offset, length, flags) -> record(received, frame, offset, 1), 256);
                Thread.sleep(1);
            }
        }
        assertThat(received).isEqualTo(expected);
        assertThat(received.values()).as("both workers get frames").contains(0, 1);
    }

    private static void record(Map<Integer, Integer> received, MemorySegment frame, long offset, int worker) {
        if ((frame.get(U16, offset + 12) & 0xFFFF) == 0x0800) {
            received.put(frame.get(U16, offset + 18) & 0xFFFF, worker);
        }
    }

    private static byte[] withMacs(byte[] frame) {
        byte[] copy = frame.clone();
        for (int i = 0; i < 6; i++) {
            copy[i] = (byte) (V1_MAC >>> (40 - 8 * i));
            copy[6 + i] = (byte) (V2_MAC >>> (40 - 8 * i));
        }
        return copy;
    }

    /** Big-endian fields of a frame. */
    static final class Frames {
        static int word(byte[] b, int at) {
            return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
        }

        static int half(byte[] b, int at) {
            return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
        }
    }
}
