package org.jvs.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.net.FastPath;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A frame is forwarded by exactly one of the kernel and JVS, even when JVS installs or removes its flow between the
 * socket filter (at the packet tap) and the forwarder (at tc ingress, next on the same CPU): the forwarder follows the
 * filter's verdict, not its own lookup. Each case runs the filter (BPF_PROG_TEST_RUN), changes the map as the data
 * plane would in between, copies the verdict the filter left on its CPU to every CPU (a later test run may land on
 * another one) and runs the forwarder. Root for bpf(2), hence the tag.
 */
@Tag("netns")
class FastPathVerdictTest {
    private static final int TC_ACT_REDIRECT = 7;
    private static final int IFINDEX = 7;
    private static final int MTU = 1500;
    private static final long PORT_MAC = 0x02_00_00_00_00_01L;
    private static final long NEIGHBOUR_MAC = 0x02_00_00_00_00_02L;
    private static final int CLIENT = Ipv4.parse("198.18.0.2");
    private static final int VIP = Ipv4.parse("198.18.1.1");
    private static final int RIP = Ipv4.parse("198.19.0.2");
    private static final int CLIENT_PORT = 40000;
    private static final int OTHER_CLIENT_PORT = 40001;

    private static KernelFastPath kernel;
    private static FastPath flows;

    @BeforeAll
    static void load() throws Exception {
        kernel = KernelFastPath.attach(new int[0]);
        flows = kernel.worker();
    }

    @AfterAll
    static void close() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @AfterEach
    void clear() throws Exception {
        flows.remove(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 53, new long[FastPath.READ_LENGTH]);
        flows.remove(Protocol.UDP, CLIENT, OTHER_CLIENT_PORT, VIP, 53, new long[FastPath.READ_LENGTH]);
        kernel.pendOnEveryCpu(new byte[FastPathProgram.SLOT_SIZE]);
    }

    @Test
    void shouldForwardAFrameTheFilterClaimedEvenWhenItsFlowIsRemovedBeforeTheForwarderRuns() throws Exception {
        byte[] frame = datagram(CLIENT_PORT);
        install(CLIENT_PORT);
        byte[] expected = kernel.forward(frame).frame();
        long[] counted = new long[FastPath.READ_LENGTH];
        flows.remove(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 53, counted);

        install(CLIENT_PORT);
        assertEquals(0, kernel.filter(frame).returned(), "the filter keeps the frame from JVS");
        byte[] slot = pendingSlot(FastPathProgram.VERDICT_CLAIMED);
        assertEquals(true, flows.remove(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 53, counted), "JVS removes the flow");
        assertEquals(1, counted[FastPath.PACKETS], "the filter counted the frame it claimed");
        kernel.pendOnEveryCpu(slot);

        BpfProgram.TestRun run = kernel.forward(frame);
        assertEquals(TC_ACT_REDIRECT, run.returned(), "the forwarder forwards what the filter claimed");
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(run.frame()),
                "rewritten from the verdict's copy of the removed entry");
        assertEquals(GuardProgram.TCX_NEXT, kernel.forward(frame).returned(),
                "the verdict was for one frame: the next, without an entry, is the director's");
    }

    @Test
    void shouldLeaveToJvsAFrameTheFilterPassedEvenWhenItsFlowIsInstalledBeforeTheForwarderRuns() throws Exception {
        byte[] frame = datagram(CLIENT_PORT);
        assertEquals(frame.length, kernel.filter(frame).returned(), "no flow yet: the filter gives JVS the frame");
        byte[] slot = pendingSlot(FastPathProgram.VERDICT_PASSED);
        install(CLIENT_PORT);
        kernel.pendOnEveryCpu(slot);

        BpfProgram.TestRun run = kernel.forward(frame);
        assertEquals(GuardProgram.TCX_NEXT, run.returned(), "JVS has the frame: the kernel must not send it too");
        assertArrayEquals(frame, run.frame(), "untouched");
        long[] counted = new long[FastPath.READ_LENGTH];
        flows.read(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 53, counted);
        assertEquals(0, counted[FastPath.PACKETS], "not counted by the kernel");
        assertEquals(TC_ACT_REDIRECT, kernel.forward(frame).returned(), "the next frame, which no tap saw, is taken");
    }

    @Test
    void shouldRepeatAPendingVerdictToASecondSocketSeeingTheSameFrame() throws Exception {
        byte[] frame = datagram(CLIENT_PORT);
        install(CLIENT_PORT);
        assertEquals(0, kernel.filter(frame).returned());
        byte[] slot = pendingSlot(FastPathProgram.VERDICT_CLAIMED);
        flows.remove(Protocol.UDP, CLIENT, CLIENT_PORT, VIP, 53, new long[FastPath.READ_LENGTH]);
        kernel.pendOnEveryCpu(slot);
        assertEquals(0, kernel.filter(frame).returned(), "the same frame is claimed for every socket, entry or not");
        assertEquals(TC_ACT_REDIRECT, kernel.forward(frame).returned());
    }

    @Test
    void shouldDecideAnewWhenThePendingVerdictIsAnotherFlows() throws Exception {
        install(CLIENT_PORT);
        assertEquals(0, kernel.filter(datagram(CLIENT_PORT)).returned());
        kernel.pendOnEveryCpu(pendingSlot(FastPathProgram.VERDICT_CLAIMED));
        byte[] other = datagram(OTHER_CLIENT_PORT);
        assertEquals(other.length, kernel.filter(other).returned(), "another flow, no entry: JVS's");
        assertEquals(GuardProgram.TCX_NEXT, kernel.forward(other).returned());
    }

    private static byte[] datagram(int clientPort) {
        return FastPathGoldenTest.frame(Protocol.UDP, CLIENT, clientPort, VIP, 53, 0, 64, 64, false, new Random(clientPort));
    }

    private static void install(int clientPort) {
        assertEquals(true, flows.install(Protocol.UDP, CLIENT, clientPort, VIP, 53, 0, 0, RIP, 5353, IFINDEX, PORT_MAC,
                NEIGHBOUR_MAC, MTU), "installed");
    }

    /** The one CPU's slot the filter's run left a verdict in, checked to be that verdict about this test's frame. */
    private static byte[] pendingSlot(int verdict) throws Exception {
        byte[] found = null;
        for (byte[] slot : kernel.verdictSlots()) {
            if (ByteBuffer.wrap(slot).order(ByteOrder.nativeOrder()).getInt(FastPathProgram.SLOT_VERDICT) != 0) {
                assertEquals(null, found, "one CPU ran the filter");
                found = slot;
            }
        }
        assertNotNull(found, "the filter left a verdict");
        ByteBuffer b = ByteBuffer.wrap(found).order(ByteOrder.nativeOrder());
        assertEquals(verdict, b.getInt(FastPathProgram.SLOT_VERDICT), "the verdict");
        assertEquals(CLIENT, b.order(ByteOrder.BIG_ENDIAN).getInt(FastPathProgram.SLOT_KEY), "about the client's frame");
        return found;
    }
}
