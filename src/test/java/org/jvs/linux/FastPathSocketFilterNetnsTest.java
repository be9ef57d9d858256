package org.jvs.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.net.FastPath;
import org.jvs.net.FrameHandler;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast path's socket filter on a real AF_PACKET ring: datagrams of an installed flow never reach the ring, the
 * same peer's datagrams from another port do. Namespaces fp-sf1 (the port) and fp-sf2 (the sender), a veth pair
 * between them on 198.51.100.0/24, nothing linked to the root namespace. No forwarder is attached: the filter alone
 * decides what JVS sees.
 */
@Tag("netns")
class FastPathSocketFilterNetnsTest {
    private static final String NS1 = "fp-sf1";
    private static final String NS2 = "fp-sf2";
    private static final String V1 = "fpsf1";
    private static final String V2 = "fpsf2";
    private static final int V1_ADDRESS = 0xC6336401; // 198.51.100.1
    private static final int V2_ADDRESS = 0xC6336402; // 198.51.100.2
    private static final int DATAGRAMS = 20;
    private static final int FAST_PORT = 40001;
    private static final int SLOW_PORT = 40002;
    private static final int DESTINATION_PORT = 5002;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static NamespaceThread inNs1;

    @BeforeAll
    static void createNamespaces() throws Exception {
        destroy();
        try {
            VethNamespaces.run("ip", "netns", "add", NS1);
            VethNamespaces.run("ip", "netns", "add", NS2);
            VethNamespaces.run("ip", "-n", NS1, "link", "add", V1, "type", "veth", "peer", "name", V2, "netns", NS2);
            VethNamespaces.run("ip", "-n", NS1, "address", "add", "198.51.100.1/24", "dev", V1);
            VethNamespaces.run("ip", "-n", NS2, "address", "add", "198.51.100.2/24", "dev", V2);
            VethNamespaces.run("ip", "-n", NS1, "link", "set", V1, "up");
            VethNamespaces.run("ip", "-n", NS2, "link", "set", V2, "up");
            inNs1 = new NamespaceThread(NS1);
        } catch (Exception | Error e) {
            destroy();
            throw e;
        }
    }

    @AfterAll
    static void destroy() {
        try {
            if (inNs1 != null) {
                inNs1.close();
            }
        } finally {
            for (String namespace : List.of(NS1, NS2)) {
                if (new java.io.File("/var/run/netns/" + namespace).exists()) {
                    VethNamespaces.run("ip", "netns", "delete", namespace);
                }
            }
        }
    }

    @Test
    void shouldKeepAnInstalledFlowsFramesOutOfTheRing() throws Exception {
        KernelFastPath fastPath = KernelFastPath.attach(new int[0]);
        AfPacketPort port = inNs1.call(() -> AfPacketPort.open(V1));
        PortPoller poller = new PortPoller(List.of(port));
        try {
            port.filter(fastPath);
            FastPath flows = fastPath.worker();
            flows.install(Protocol.UDP, V2_ADDRESS, FAST_PORT, V1_ADDRESS, DESTINATION_PORT, 0, 0, 0, 0, 1, 0, 0, 1500);
            String sender = """
                    import socket, time
                    for port in (%d, %d):
                        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        s.bind(('198.51.100.2', port))
                        for i in range(%d):
                            s.sendto(b'jvs', ('198.51.100.1', %d)); time.sleep(0.01)
                    """.formatted(FAST_PORT, SLOW_PORT, DATAGRAMS, DESTINATION_PORT);
            VethNamespaces.run("ip", "netns", "exec", NS2, "timeout", "20", "python3", "-c", sender);

            int[] seen = new int[2];
            FrameHandler count = (ifindex, frame, offset, length, flags) -> {
                if (length >= 14 + 20 + 8 && frame.get(U16, offset + 12) == 0x0800
                        && frame.get(ValueLayout.JAVA_BYTE, offset + 14 + 9) == Protocol.UDP) {
                    int sourcePort = frame.get(U16, offset + 14 + 20) & 0xFFFF;
                    if (sourcePort == FAST_PORT) {
                        seen[0]++;
                    } else if (sourcePort == SLOW_PORT) {
                        seen[1]++;
                    }
                }
            };
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen[1] < DATAGRAMS && System.nanoTime() < deadline) {
                poller.await(50);
                port.receive(count, 64);
            }
            assertEquals(DATAGRAMS, seen[1], "datagrams of a flow without an entry reach the ring");
            assertEquals(0, seen[0], "datagrams of the installed flow reach the ring");
        } finally {
            poller.close();
            port.close();
            fastPath.close();
        }
    }
}
