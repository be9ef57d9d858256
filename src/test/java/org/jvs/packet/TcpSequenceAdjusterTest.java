package org.jvs.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TcpSequenceAdjusterTest {
    private static final int TCP = Reference.ETHERNET + 20;
    private static final int SEQUENCE = TCP + 4;
    private static final int ACKNOWLEDGMENT = TCP + 8;
    private static final int CHECKSUM = TCP + 16;
    private static final int OPTIONS = TCP + 20;
    /** A PROXY v2 header for IPv4. */
    private static final int DELTA = 28;
    /** Close enough to 2^32 that the connection's numbers wrap around within its first kilobyte. */
    private static final int ISN = 0xFFFF_FFC0;
    private static final int P = ISN + 1;
    private static final byte NOP = 1;

    private final TcpSequenceAdjuster adjuster = new TcpSequenceAdjuster();

    @ParameterizedTest(name = "ISN {0}: client seq {1} -> server seq {2}")
    @CsvSource({
        // isn,       seq,        expected
        "0xFFFFFFF0, 0xFFFFFFF0, 0xFFFFFFF0",   // the SYN
        "0xFFFFFFF0, 0xFFFFFFF1, 0xFFFFFFF1",   // the insertion point keeps its number: the header starts there
        "0xFFFFFFF0, 0xFFFFFFF2, 0x0000000E",   // one byte later: moved past the header, wrapping around
        "0xFFFFFFF0, 0x00000100, 0x0000011C",
        "0xFFFFFFF0, 0xFFFFFFEF, 0xFFFFFFEF",   // a keepalive probe before any data
        "0x7FFFFFFF, 0x80000001, 0x8000001D",   // across the sign boundary of a signed int
        "0xFFFFFFFF, 0x00000000, 0x00000000",   // P itself is 0
        "0xFFFFFFFF, 0x00000001, 0x0000001D",
        "0x00000000, 0x7FFFFFFF, 0x8000001B",   // half the number space ahead is still ahead
    })
    void shouldMoveClientSequenceNumbersAfterTheInsertionPoint(String isn, String sequence, String expected) {
        assertEquals(hex(expected), TcpSequenceAdjuster.toServerSequence(hex(sequence), hex(isn), DELTA));
    }

    @ParameterizedTest(name = "ISN {0}: server ack {1} -> client ack {2}")
    @CsvSource({
        "0xFFFFFFF0, 0xFFFFFFF1, 0xFFFFFFF1",   // acknowledging the SYN only
        "0xFFFFFFF0, 0xFFFFFFF2, 0xFFFFFFF1",   // inside the header: the client sent none of it
        "0xFFFFFFF0, 0x0000000C, 0xFFFFFFF1",   // the header's last byte, past the wrap
        "0xFFFFFFF0, 0x0000000D, 0xFFFFFFF1",   // exactly the header: nothing of the client's yet
        "0xFFFFFFF0, 0x0000000E, 0xFFFFFFF2",   // the header and the client's first byte
        "0xFFFFFFF0, 0x0000011C, 0x00000100",
        "0xFFFFFFF0, 0xFFFFFFF0, 0xFFFFFFF0",   // before the insertion point: as it is
        "0x7FFFFFFF, 0x8000001D, 0x80000001",
    })
    void shouldMoveServerAcknowledgmentsBackAndNeverIntoTheHeader(String isn, String acknowledgment,
                                                                  String expected) {
        assertEquals(hex(expected), TcpSequenceAdjuster.toClientAcknowledgment(hex(acknowledgment), hex(isn), DELTA));
    }

    @Test
    void shouldMapEveryClientByteBackToItselfWhateverTheIsn() {
        int[] isns = {0, 1, 0x7FFF_FFFE, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFE0, 0xFFFF_FFFF, 0x1234_5678};
        for (int isn : isns) {
            for (int distance = 1; distance < 5000; distance += 7) {
                int sequence = isn + 1 + distance;
                int onServer = TcpSequenceAdjuster.toServerSequence(sequence, isn, DELTA);
                assertEquals(distance + DELTA, onServer - (isn + 1), "ISN " + isn + " distance " + distance);
                assertEquals(sequence, TcpSequenceAdjuster.toClientAcknowledgment(onServer, isn, DELTA));
            }
        }
    }

    @Test
    void shouldUndoTheServerSideShiftOfEveryClientSequenceNumberBeforeOrAfterTheInsertionPoint() {
        int[] isns = {0, 1, 0x7FFF_FFFE, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFE0, 0xFFFF_FFFF, 0x1234_5678};
        for (int isn : isns) {
            for (int distance = -3000; distance < 5000; distance += 3) {
                int sequence = isn + 1 + distance;
                int onServer = TcpSequenceAdjuster.toServerSequence(sequence, isn, DELTA);
                assertEquals(sequence, TcpSequenceAdjuster.toClientSequence(onServer, isn, DELTA),
                        "ISN " + isn + " distance " + distance);
            }
        }
    }

    @ParameterizedTest(name = "ISN {0}: quoted seq {1} -> client seq {2}")
    @CsvSource({
        "0xFFFFFFF0, 0xFFFFFFF1, 0xFFFFFFF1",   // the first segment: the header came in front, the number stayed
        "0xFFFFFFF0, 0x0000000E, 0xFFFFFFF2",   // moved back across the wrap
        "0xFFFFFFF0, 0x00000005, 0xFFFFFFF1",   // inside the header, where no client segment starts: P
        "0xFFFFFFF0, 0xFFFFFFEF, 0xFFFFFFEF",   // a keepalive probe before any data
    })
    void shouldMoveAQuotedSequenceNumberBack(String isn, String sequence, String expected) {
        assertEquals(hex(expected), TcpSequenceAdjuster.toClientSequence(hex(sequence), hex(isn), DELTA));
    }

    static Stream<Arguments> clientSegments() {
        return Stream.of(
                Arguments.of("SYN", TcpHeader.SYN, ISN, 0, TcpSequenceAdjuster.UNCHANGED),
                Arguments.of("handshake ACK at P", TcpHeader.ACK, P, 0, TcpSequenceAdjuster.UNCHANGED),
                Arguments.of("first data at P", TcpHeader.ACK | TcpHeader.PSH, P, 100, TcpSequenceAdjuster.INSERT),
                Arguments.of("FIN without data at P", TcpHeader.ACK | TcpHeader.FIN, P, 0, TcpSequenceAdjuster.INSERT),
                Arguments.of("RST at P", TcpHeader.RST, P, 0, TcpSequenceAdjuster.UNCHANGED),
                Arguments.of("keepalive probe at ISN", TcpHeader.ACK, ISN, 0, TcpSequenceAdjuster.UNCHANGED),
                Arguments.of("ACK after data, wrapped", TcpHeader.ACK, P + 100, 0, TcpSequenceAdjuster.SHIFTED),
                Arguments.of("later data, wrapped", TcpHeader.ACK | TcpHeader.PSH, P + 100, 50,
                        TcpSequenceAdjuster.SHIFTED),
                Arguments.of("RST after data", TcpHeader.RST | TcpHeader.ACK, P + 100, 0, TcpSequenceAdjuster.SHIFTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientSegments")
    void shouldClassifyClientSegmentsAndShiftOnlyThoseAfterTheInsertionPoint(String name, int flags, int sequence,
                                                                             int payload, int expected) {
        byte[] original = new FrameBuilder().tcpFlags(flags).sequence(sequence).payloadLength(payload)
                .tcpOptions(new byte[] {NOP, NOP, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8}).bytes();
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertEquals(expected, adjuster.toServer(frame, TCP, payload, ISN, DELTA, false));

        byte[] after = FrameBuilder.toBytes(frame, 0, original.length);
        if (expected == TcpSequenceAdjuster.SHIFTED) {
            assertEquals(sequence + DELTA, Reference.u32(after, SEQUENCE));
            assertEquals(Reference.transportChecksum(after, Reference.ETHERNET), Reference.u16(after, CHECKSUM));
            Reference.u32(after, SEQUENCE, sequence);
            Reference.u16(after, CHECKSUM, Reference.u16(original, CHECKSUM));
        }
        assertArrayEquals(original, after, "nothing else may change");
    }

    @Test
    void shouldLeaveAPartialChecksumAloneWhenShifting() {
        byte[] original = new FrameBuilder().partialChecksum().sequence(P + 10).payloadLength(10).bytes();
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertEquals(TcpSequenceAdjuster.SHIFTED, adjuster.toServer(frame, TCP, 10, ISN, DELTA, true));

        byte[] after = FrameBuilder.toBytes(frame, 0, original.length);
        assertEquals(P + 10 + DELTA, Reference.u32(after, SEQUENCE));
        assertEquals(Reference.u16(original, CHECKSUM), Reference.u16(after, CHECKSUM));
    }

    static Stream<Arguments> sackOptions() {
        // edges: before P, inside the header, at its end, and beyond it on both sides of the wrap
        int a = P + DELTA + 1000;
        int b = P + DELTA + 2448;
        int c = P + DELTA + 30;
        int d = P + DELTA + 90;
        return Stream.of(
                Arguments.of("one block after NOP NOP", concat(new byte[] {NOP, NOP}, sack(a, b))),
                Arguments.of("two blocks after a timestamp", concat(new byte[] {NOP, NOP, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0,
                        NOP, NOP}, sack(a, b, c, d))),
                Arguments.of("three blocks", concat(new byte[] {NOP, NOP}, sack(a, b, c, d, P - 1, P))),
                Arguments.of("four blocks filling the options", concat(sack(a, b, c, d, P + 5, P + DELTA, P,
                        P + DELTA + 1), new byte[] {NOP, NOP})),
                Arguments.of("one block at an odd offset", concat(new byte[] {NOP}, sack(a, b), new byte[] {NOP})),
                Arguments.of("two blocks at an odd offset after MSS", concat(new byte[] {2, 4, 5, (byte) 0xB4, NOP},
                        sack(c, d, a, b), new byte[] {NOP})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sackOptions")
    void shouldMoveTheAcknowledgmentAndEverySackEdgeBackWithAValidChecksum(String name, byte[] options) {
        int acknowledgment = P + DELTA + 500;
        byte[] original = ackedBy(new FrameBuilder().tcpOptions(options).payloadLength(33), acknowledgment);
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertTrue(adjuster.toClient(frame, TCP, ISN, DELTA, false));

        byte[] after = FrameBuilder.toBytes(frame, 0, original.length);
        byte[] expected = original.clone();
        Reference.u32(expected, ACKNOWLEDGMENT, P + 500);
        int sackAt = sackOffset(options);
        for (int edge = OPTIONS + sackAt + 2; edge < OPTIONS + sackAt + options[sackAt + 1]; edge += 4) {
            Reference.u32(expected, edge, TcpSequenceAdjuster.toClientAcknowledgment(Reference.u32(original, edge),
                    ISN, DELTA));
        }
        Reference.u16(expected, CHECKSUM, Reference.transportChecksum(expected, Reference.ETHERNET));
        assertArrayEquals(expected, after);
        assertEquals(Reference.transportChecksum(after, Reference.ETHERNET), Reference.u16(after, CHECKSUM));
    }

    @Test
    void shouldMoveSackEdgesToTheValuesTheClientKnows() {
        byte[] original = ackedBy(new FrameBuilder().tcpOptions(concat(new byte[] {NOP, NOP},
                sack(P + DELTA + 1000, P + DELTA + 2448, P + 3, P + DELTA))), P + DELTA + 500);
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertTrue(adjuster.toClient(frame, TCP, ISN, DELTA, false));

        byte[] after = FrameBuilder.toBytes(frame, 0, original.length);
        int edges = OPTIONS + 4;
        assertEquals(P + 1000, Reference.u32(after, edges));
        assertEquals(P + 2448, Reference.u32(after, edges + 4));
        assertEquals(P, Reference.u32(after, edges + 8));
        assertEquals(P, Reference.u32(after, edges + 12));
    }

    @Test
    void shouldLeaveTheAcknowledgmentOfASegmentWithoutAckAlone() {
        byte[] original = ackedBy(new FrameBuilder().tcpFlags(TcpHeader.RST), P + DELTA + 500);
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertTrue(adjuster.toClient(frame, TCP, ISN, DELTA, false));

        assertArrayEquals(original, FrameBuilder.toBytes(frame, 0, original.length));
    }

    @Test
    void shouldLeaveAPartialChecksumAloneWhenMovingAcknowledgments() {
        byte[] original = new FrameBuilder().partialChecksum().tcpOptions(concat(new byte[] {NOP, NOP},
                sack(P + DELTA + 10, P + DELTA + 20))).bytes();
        Reference.u32(original, ACKNOWLEDGMENT, P + DELTA + 5);
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertTrue(adjuster.toClient(frame, TCP, ISN, DELTA, true));

        byte[] after = FrameBuilder.toBytes(frame, 0, original.length);
        assertEquals(P + 5, Reference.u32(after, ACKNOWLEDGMENT));
        assertEquals(P + 10, Reference.u32(after, OPTIONS + 4));
        assertEquals(Reference.u16(original, CHECKSUM), Reference.u16(after, CHECKSUM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedOptions")
    void shouldRefuseMalformedOptionsAndChangeNothing(String name, byte[] options) {
        byte[] original = ackedBy(new FrameBuilder().tcpOptions(options), P + DELTA + 500);
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertFalse(adjuster.toClient(frame, TCP, ISN, DELTA, false));

        assertArrayEquals(original, FrameBuilder.toBytes(frame, 0, original.length));
    }

    static Stream<Arguments> malformedOptions() {
        return Stream.of(
                Arguments.of("option length 1", new byte[] {NOP, 8, 1, NOP}),
                Arguments.of("option running past the header", new byte[] {NOP, NOP, 8, 12, 0, 0, 0, 0}),
                Arguments.of("SACK of a partial block", concat(new byte[] {NOP, NOP}, new byte[] {5, 6, 0, 0, 0, 1},
                        new byte[] {NOP, NOP, NOP, NOP})),
                Arguments.of("kind without a length at the end", new byte[] {NOP, NOP, NOP, 8}));
    }

    @ParameterizedTest(name = "MSS option at offset {0}")
    @CsvSource({"0", "1", "3"})
    void shouldLowerTheServersMssByTheHeaderLength(int nops) {
        byte[] options = new byte[8];
        Arrays.fill(options, NOP);
        options[nops] = 2;
        options[nops + 1] = 4;
        options[nops + 2] = 0x05;
        options[nops + 3] = (byte) 0xB4;
        byte[] original = ackedBy(new FrameBuilder().tcpFlags(TcpHeader.SYN | TcpHeader.ACK).tcpOptions(options), P);
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertTrue(adjuster.lowerMss(frame, TCP, DELTA, false));

        byte[] after = FrameBuilder.toBytes(frame, 0, original.length);
        assertEquals(1460 - DELTA, Reference.u16(after, OPTIONS + nops + 2));
        assertEquals(Reference.transportChecksum(after, Reference.ETHERNET), Reference.u16(after, CHECKSUM));
    }

    @Test
    void shouldSayWhenThereIsNoMssToLower() {
        byte[] original = ackedBy(new FrameBuilder().tcpFlags(TcpHeader.SYN | TcpHeader.ACK)
                .tcpOptions(new byte[] {NOP, NOP, 4, 2}), P);
        MemorySegment frame = FrameBuilder.copyToNative(original);

        assertFalse(adjuster.lowerMss(frame, TCP, DELTA, false));
        assertArrayEquals(original, FrameBuilder.toBytes(frame, 0, original.length));
    }

    /** The frame with its acknowledgement number set and the checksum computed for it. */
    private static byte[] ackedBy(FrameBuilder builder, int acknowledgment) {
        byte[] frame = builder.bytes();
        Reference.u32(frame, ACKNOWLEDGMENT, acknowledgment);
        Reference.u16(frame, CHECKSUM, Reference.transportChecksum(frame, Reference.ETHERNET));
        return frame;
    }

    private static byte[] sack(int... edges) {
        byte[] option = new byte[2 + 4 * edges.length];
        option[0] = 5;
        option[1] = (byte) option.length;
        for (int i = 0; i < edges.length; i++) {
            Reference.u32(option, 2 + 4 * i, edges[i]);
        }
        return option;
    }

    private static int sackOffset(byte[] options) {
        int at = 0;
        while (options[at] != 5) {
            at += options[at] == NOP ? 1 : options[at + 1];
        }
        return at;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static int hex(String text) {
        return Integer.parseUnsignedInt(text.substring(2), 16);
    }
}
