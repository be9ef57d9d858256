package org.jvs.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.linux.VethNamespaces.L1;
import static org.jvs.linux.VethNamespaces.L2;
import static org.jvs.linux.VethNamespaces.V1;
import static org.jvs.linux.VethNamespaces.V1_ADDRESS;
import static org.jvs.linux.VethNamespaces.V1_MAC;
import static org.jvs.linux.VethNamespaces.V2;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.jvs.service.Ipv4;

/**
 * What a VRRP router does to the network, in two namespaces joined by a veth: adverts to 224.0.0.18 with TTL 255
 * from the interface's address, virtual addresses added and removed with their label, gratuitous ARPs broadcast.
 */
@Tag("netns")
class VrrpLinkNetnsTest {
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int VIP = Ipv4.parse("203.0.113.10");

    private static NamespaceThread inL1;
    private static NamespaceThread inL2;

    @BeforeAll
    static void createNamespaces() throws Exception {
        try {
            VethNamespaces.create();
            inL1 = new NamespaceThread(L1);
            inL2 = new NamespaceThread(L2);
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
            if (inL2 != null) {
                inL2.close();
            }
        } finally {
            VethNamespaces.destroy();
        }
    }

    @Test
    void shouldSendAdvertsToTheGroupWithTtl255FromTheInterfacesAddress() throws Exception {
        try (VrrpLink sender = inL1.call(() -> VrrpLink.open(V1, V1_ADDRESS, 0));
             VrrpLink receiver = inL2.call(() -> VrrpLink.open(V2, 0, 0));
             Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(20);
            for (int i = 0; i < 20; i++) {
                message.set(ValueLayout.JAVA_BYTE, i, (byte) (0x21 + i));
            }
            sender.send(message, 20, VrrpLink.VRRP_GROUP);
            MemorySegment packet = arena.allocate(1500);
            int length = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (length == 0 && System.nanoTime() < deadline) {
                length = receiver.receive(packet);
                Thread.sleep(5);
            }
            assertThat(length).isEqualTo(40);
            assertThat(packet.get(ValueLayout.JAVA_BYTE, 8) & 0xFF).as("TTL").isEqualTo(255);
            assertThat(packet.get(ValueLayout.JAVA_BYTE, 9) & 0xFF).as("protocol").isEqualTo(112);
            assertThat(packet.get(BE32, 12)).as("source").isEqualTo(V1_ADDRESS);
            assertThat(packet.get(BE32, 16)).as("destination").isEqualTo(VrrpLink.VRRP_GROUP);
            assertThat(packet.asSlice(20, 20).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(message.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void shouldAddAndRemoveAVirtualAddressWithItsLabelOnce() throws Exception {
        try (InterfaceAddresses addresses = inL1.call(InterfaceAddresses::open)) {
            assertThat(inL1.call(() -> addresses.add(V1, VIP, 24, V1 + ":vip"))).isTrue();
            assertThat(inL1.call(() -> addresses.add(V1, VIP, 24, V1 + ":vip"))).as("already there").isFalse();
            assertThat(VethNamespaces.run("ip", "-n", L1, "-4", "addr", "show", "dev", V1))
                    .contains("inet 203.0.113.10/24").contains(V1 + ":vip");
            assertThat(inL1.call(() -> addresses.remove(V1, VIP, 24))).isTrue();
            assertThat(inL1.call(() -> addresses.remove(V1, VIP, 24))).as("already gone").isFalse();
            assertThat(VethNamespaces.run("ip", "-n", L1, "-4", "addr", "show", "dev", V1)).doesNotContain("203.0.113.10");
        }
    }

    @Test
    void shouldBroadcastAGratuitousArpForEachAddress() throws Exception {
        List<byte[]> arps = new ArrayList<>();
        try (AfPacketPort peer = inL2.call(() -> AfPacketPort.open(V2))) {
            inL1.call(() -> {
                GratuitousArp.send(V1, V1_MAC, new int[] {VIP, VIP + 1}, 2);
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (arps.size() < 4 && System.nanoTime() < deadline) {
                peer.receive((ifindex, frame, offset, length, flags) -> {
                    if ((frame.get(ValueLayout.JAVA_BYTE, offset + 12) & 0xFF) == 0x08
                            && (frame.get(ValueLayout.JAVA_BYTE, offset + 13) & 0xFF) == 0x06) {
                        arps.add(frame.asSlice(offset, 42).toArray(ValueLayout.JAVA_BYTE));
                    }
                }, 16);
                Thread.sleep(5);
            }
        }
        assertThat(arps).hasSize(4);
        assertThat(arps.get(0)).isEqualTo(GratuitousArp.frame(V1_MAC, VIP));
        assertThat(arps.get(1)).isEqualTo(GratuitousArp.frame(V1_MAC, VIP + 1));
    }

    @Test
    void shouldWriteAGratuitousArpAsKeepalivedDoes() {
        assertThat(HexFormat.of().formatHex(GratuitousArp.frame(0x02005e100001L, VIP))).isEqualTo(
                "ffffffffffff" + "02005e100001" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                        + "02005e100001" + "cb00710a" + "ffffffffffff" + "cb00710a");
    }
}
