package org.jvs.linux;

import org.jvs.net.FrameHandler;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.jvs.linux.VethNamespaces.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sending with a vnet header: a TCP/IPv4 super-packet handed to the TX ring with its GSO size and a partial
 * checksum, and a plain frame with a partial checksum, reach the peer (whole or as the kernel's segments) with
 * every byte and with checksums that are right: complete, or partial with the pseudo-header sum of each piece.
 */
@Tag("netns")
class AfPacketPortGsoNetnsTest {
    private static final int TCP_PORT = 5009;
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

    @ParameterizedTest
    @CsvSource({
        // payload bytes, GSO size (0: a plain frame with a partial checksum)
        "4000, 1000",
        "60000, 1360",
        "700, 0"})
    void shouldCarryAFrameSentWithAVnetHeaderToThePeerWithRightChecksums(int payloadLength, int gsoSize)
            throws Exception {
        byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + i / 251);
        }
        int sequence = 0x1000_0000;
        byte[] frame = new FrameBuilder().source(V2_ADDRESS).destination(V1_ADDRESS).ports(40000, TCP_PORT)
                .sequence(sequence).tcpFlags(0x10).payload(payload).partialChecksum().bytes();
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) (V1_MAC >>> (40 - 8 * i));
            frame[6 + i] = (byte) (V2_MAC >>> (40 - 8 * i));
        }
        int flags = gsoSize == 0 ? FrameHandler.CHECKSUM_NOT_READY : FrameHandler.tcpSegmentation(gsoSize);

        byte[] received = new byte[payloadLength];
        int[] pieces = new int[1];
        StringBuilder problems = new StringBuilder();
        FrameHandler collector = (ifindex, bytes, offset, length, receivedFlags) -> {
            byte[] piece = FrameBuilder.toBytes(bytes, offset, length);
            if (Reference.u16(piece, 12) != 0x0800 || (piece[14 + 9] & 0xFF) != 6
                    || Reference.u16(piece, 14 + 22) != TCP_PORT) {
                return;
            }
            pieces[0]++;
            int tcpLength = Reference.u16(piece, 14 + 2) - 20;
            int dataLength = tcpLength - 20;
            int at = Reference.u32(piece, 14 + 20 + 4) - sequence;
            if (at < 0 || at + dataLength > payloadLength) {
                problems.append("piece outside the payload at ").append(at).append("; ");
                return;
            }
            System.arraycopy(piece, 14 + 40, received, at, dataLength);
            if (Reference.u16(piece, 14 + 10) != Reference.ipChecksum(piece, 14)) {
                problems.append("IP checksum wrong at ").append(at).append("; ");
            }
            int stored = Reference.storedTransportChecksum(piece, 14);
            if ((receivedFlags & FrameHandler.CHECKSUM_NOT_READY) != 0) {
                int expected = pseudoHeaderSum(V2_ADDRESS, V1_ADDRESS, tcpLength);
                if (stored != expected) {
                    problems.append(String.format("partial sum %04x, expected %04x at %d; ", stored, expected, at));
                }
                int pieceGso = FrameHandler.gsoSize(receivedFlags);
                if (dataLength > MTU - 40 && pieceGso != gsoSize) {
                    problems.append("whole super-packet arrived with GSO size ").append(pieceGso).append("; ");
                }
            } else if (stored != Reference.transportChecksum(piece, 14)) {
                problems.append("TCP checksum wrong at ").append(at).append("; ");
            }
        };

        try (AfPacketPort receiver = inL1.call(() -> AfPacketPort.open(V1));
             AfPacketPort sender = inL2.call(() -> AfPacketPort.open(V2));
             PortPoller poller = new PortPoller(List.of(receiver))) {
            assertTrue(sender.send(MemorySegment.ofArray(frame), 0, frame.length, flags), "send refused");
            sender.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int expectedPieces = gsoSize == 0 ? 1 : (payloadLength + gsoSize - 1) / gsoSize;
            while (!java.util.Arrays.equals(received, payload) && System.nanoTime() < deadline) {
                poller.await(20);
                receiver.receive(collector, 64);
            }
            assertEquals("", problems.toString());
            assertArrayEquals(payload, received, "payload bytes at the peer (" + pieces[0] + " pieces)");
            assertTrue(pieces[0] == 1 || pieces[0] == expectedPieces, "pieces: " + pieces[0]);
            assertEquals(0, sender.offloadRefused());
        }
    }

    private static int pseudoHeaderSum(int source, int destination, int tcpLength) {
        long sum = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF) + 6 + tcpLength;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
