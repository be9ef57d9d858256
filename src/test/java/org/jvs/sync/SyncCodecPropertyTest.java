package org.jvs.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SyncCodecPropertyTest {
    /** IPVS_OPT_SEQ_DATA, or none (null) more often than not. */
    static Arbitrary<SyncConnection.SequenceOptions> sequences() {
        return Arbitraries.integers().array(int[].class).ofSize(6)
                .map(s -> new SyncConnection.SequenceOptions(s[0], s[1], s[2], s[3], s[4], s[5]))
                .injectNull(0.6);
    }

    @Provide
    Arbitrary<SyncConnection> connections() {
        Arbitrary<int[]> words = Arbitraries.integers().array(int[].class).ofSize(6);
        Arbitrary<int[]> shorts = Arbitraries.integers().between(0, 0xFFFF).array(int[].class).ofSize(4);
        Arbitrary<Integer> protocols = Arbitraries.integers().between(0, 0xFF);
        Arbitrary<SyncConnection.SequenceOptions> sequences = sequences();
        Arbitrary<SyncConnection.DirectorState> directorStates = Combinators.combine(
                        Arbitraries.integers(), Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.integers().between(0, 0xFF), Arbitraries.integers())
                .as(SyncConnection.DirectorState::new)
                .injectNull(0.5);
        return Combinators.combine(words, shorts, protocols, sequences, directorStates)
                .as((w, s, protocol, sequence, director) -> new SyncConnection(protocol, w[0], s[0], w[1], s[1],
                        w[2], s[2], w[3], s[3], w[4], w[5], sequence, director));
    }

    /** Writes all of {@code connections} into as many messages as they take; returns each message's bytes. */
    static List<byte[]> writeAll(List<SyncConnection> connections, int syncid, int capacity) {
        MemorySegment buffer = Arena.ofAuto().allocate(capacity);
        SyncMessageWriter writer = new SyncMessageWriter(buffer);
        List<byte[]> messages = new ArrayList<>();
        writer.reset(syncid);
        for (SyncConnection c : connections) {
            if (!writer.add(c)) {
                assertTrue(writer.count() > 0, "an entry that fits no message");
                messages.add(buffer.asSlice(0, writer.finish()).toArray(ValueLayout.JAVA_BYTE));
                writer.reset(syncid);
                assertTrue(writer.add(c));
            }
            assertTrue(writer.length() <= capacity);
        }
        if (writer.count() > 0) {
            messages.add(buffer.asSlice(0, writer.finish()).toArray(ValueLayout.JAVA_BYTE));
        }
        return messages;
    }

    @Property
    void whatTheWriterWritesTheReaderReadsBack(
            @ForAll @Size(max = 120) List<@From("connections") SyncConnection> connections,
            @ForAll @IntRange(min = 1, max = 255) int syncid,
            @ForAll @IntRange(min = 8 + 76, max = 1472) int capacity) {
        List<SyncConnection> read = new ArrayList<>();
        for (byte[] message : writeAll(connections, syncid, capacity)) {
            int before = read.size();
            int result = SyncMessageReader.read(MemorySegment.ofArray(message), syncid, read::add);
            assertEquals(read.size() - before, result);
            assertEquals(Byte.toUnsignedInt(message[4]), result);
        }
        List<SyncConnection> expected = connections.stream()
                .map(c -> c.withFlags(c.flags() & ~SyncConnection.F_HASHED)).toList();
        assertEquals(expected, read);
    }

    @Property
    void corruptedMessagesGiveAnErrorCodeOrEntriesNeverAnException(
            @ForAll @Size(min = 1, max = 20) List<@From("connections") SyncConnection> connections,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
            @ForAll @Size(min = 8, max = 8) List<Byte> values,
            @ForAll @IntRange(min = 0, max = 1500) int cut,
            @ForAll boolean fixSize) {
        byte[] message = writeAll(connections, 9, 1472).getFirst();
        int length = Math.min(message.length, cut);
        byte[] corrupt = Arrays.copyOf(message, length);
        for (int i = 0; i < positions.size() && length > 0; i++) {
            corrupt[positions.get(i) % length] = values.get(i);
        }
        if (fixSize && length >= 4) {
            corrupt[2] = (byte) (length >> 8);
            corrupt[3] = (byte) length;
        }
        int[] delivered = {0};
        int result = SyncMessageReader.read(MemorySegment.ofArray(corrupt), SyncMessageReader.ANY_SYNCID,
                c -> delivered[0]++);
        if (result >= 0) {
            assertEquals(delivered[0], result);
            assertTrue(result <= Byte.toUnsignedInt(corrupt[4]));
        } else {
            assertTrue(result >= SyncMessageReader.ERR_PE_NAME);
        }
    }

    @Provide
    Arbitrary<SyncConnection6> connections6() {
        Arbitrary<long[]> addresses = Arbitraries.longs().array(long[].class).ofSize(6);
        Arbitrary<int[]> words = Arbitraries.integers().array(int[].class).ofSize(3);
        Arbitrary<int[]> shorts = Arbitraries.integers().between(0, 0xFFFF).array(int[].class).ofSize(4);
        Arbitrary<Integer> protocols = Arbitraries.integers().between(0, 0xFF);
        Arbitrary<SyncConnection.SequenceOptions> sequences = sequences();
        Arbitrary<SyncConnection6.DirectorState> directorStates = Combinators.combine(
                        Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.integers().between(0, 0xFF), Arbitraries.integers())
                .as(SyncConnection6.DirectorState::new)
                .injectNull(0.5);
        return Combinators.combine(addresses, words, shorts, protocols, sequences, directorStates)
                .as((a, w, s, protocol, sequence, director) -> new SyncConnection6(protocol, w[0], s[0], a[0], a[1],
                        s[1], a[2], a[3], s[2], a[4], a[5], s[3], w[1], w[2], sequence, director));
    }

    /** IPv6 entries with either option or both, as the outbox encodes them, through messages to the IPv6 consumer. */
    @Property
    void whatTheEncoderWritesAsIpv6TheReaderReadsBack(
            @ForAll @Size(max = 40) List<@From("connections6") SyncConnection6> connections,
            @ForAll @IntRange(min = 1, max = 255) int syncid) {
        MemorySegment outbox = Arena.ofAuto().allocate(SyncEntryEncoder.MAX_LENGTH6);
        MemorySegment buffer = Arena.ofAuto().allocate(65_535);
        SyncMessageWriter writer = new SyncMessageWriter(buffer);
        writer.reset(syncid);
        for (SyncConnection6 c : connections) {
            new SyncEntryEncoder().wrap6(outbox, 0).encode(c);
            assertTrue(writer.addEncoded(outbox, 0));
        }
        List<SyncConnection6> read = new ArrayList<>();
        int result = SyncMessageReader.read(buffer.asSlice(0, writer.finish()), syncid, c -> { }, read::add);
        assertEquals(connections.size(), result);
        assertEquals(connections.stream().map(c -> new SyncConnection6(c.protocol(),
                c.flags() & ~SyncConnection.F_HASHED, c.state(), c.clientHi(), c.clientLo(), c.clientPort(),
                c.virtualHi(), c.virtualLo(), c.virtualPort(), c.destinationHi(), c.destinationLo(),
                c.destinationPort(), c.fwmark(), c.timeoutSeconds(), c.sequence(), c.director())).toList(), read);
    }
}
