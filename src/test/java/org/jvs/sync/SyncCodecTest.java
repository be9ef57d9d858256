package org.jvs.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class SyncCodecTest {
    static final int TCP = 6;
    static final int CLIENT = 0xC6336402;   // 198.51.100.2
    static final int VIP = 0xCB00710A;      // 203.0.113.10
    static final int REAL = 0xC000020B;     // 192.0.2.11

    static final SyncConnection NAT_ESTABLISHED = new SyncConnection(TCP, SyncConnection.F_MASQ, 1,
            CLIENT, 40000, VIP, 80, REAL, 80, 0, 900, null);

    static byte[] hex(String... lines) {
        return HexFormat.of().parseHex(String.join("", lines).replace(" ", ""));
    }

    static byte[] write(int syncid, SyncConnection... connections) {
        MemorySegment buffer = Arena.ofAuto().allocate(SyncMessageWriter.payloadLength(1500));
        SyncMessageWriter writer = new SyncMessageWriter(buffer);
        writer.reset(syncid);
        for (SyncConnection c : connections) {
            assertTrue(writer.add(c));
        }
        int length = writer.finish();
        return buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    static List<SyncConnection> read(byte[] message, int expectedResult) {
        List<SyncConnection> read = new ArrayList<>();
        int result = SyncMessageReader.read(MemorySegment.ofArray(message), SyncMessageReader.ANY_SYNCID, read::add);
        assertEquals(expectedResult, result);
        return read;
    }

    @Test
    void aFullNatConnectionWithProxyProtocolCarriesJvsStateInAnOptionAKernelSkips() {
        SyncConnection fullNat = NAT_ESTABLISHED.withDirectorState(
                new SyncConnection.DirectorState(0xC0000201, 1026, 2, 0x01020304));
        byte[] golden = hex(
                "00 07 003a 01 01 0000",      // size 58: 8 header + 50 entry
                "00 06 0032",                 // ver_size 50: 36 fixed + 2 + 12 option
                "00000000 0001 9c40 0050 0050 00000000 00000384 c6336402 cb00710a c000020b",
                "50",                         // option type 16 | IPVS_OPT_F_PARAM (0x40): optional
                "0c",                         // option length 12
                "c0000201",                   // local address 192.0.2.1
                "0402",                       // local port 1026
                "02 00",                      // PROXY protocol v2, reserved
                "01020304");                  // the client's SYN sequence number
        assertArrayEquals(golden, write(7, fullNat));
        assertEquals(List.of(fullNat), read(golden, 1));
        assertEquals(0x40, golden[8 + 36] & 0x40, "the kernel's receiver skips an option with IPVS_OPT_F_PARAM");
    }

    @Test
    void anEntryEncodedElsewhereIsCopiedInWithItsPadding() {
        MemorySegment ring = Arena.ofAuto().allocate(256);
        int length = new SyncEntryEncoder().wrap(ring, 100).encode(NAT_ESTABLISHED.withSequence(
                new SyncConnection.SequenceOptions(1, 2, 3, 4, 5, 6))).length();
        assertEquals(36 + 26, length);
        MemorySegment buffer = Arena.ofAuto().allocate(1472);
        SyncMessageWriter writer = new SyncMessageWriter(buffer);
        writer.reset(7);
        assertTrue(writer.addEncoded(ring, 100));
        assertTrue(writer.addEncoded(ring, 100));
        byte[] message = buffer.asSlice(0, writer.finish()).toArray(ValueLayout.JAVA_BYTE);
        assertEquals(8 + 62 + 2 + 62, message.length, "the second entry starts 4-byte aligned");
        assertArrayEquals(write(7, NAT_ESTABLISHED.withSequence(new SyncConnection.SequenceOptions(1, 2, 3, 4, 5, 6)),
                NAT_ESTABLISHED.withSequence(new SyncConnection.SequenceOptions(1, 2, 3, 4, 5, 6))), message);
    }

    @Test
    void aResyncRequestIsAnEmptyMessageToTheKernelAndARequestToJvs() {
        MemorySegment buffer = Arena.ofAuto().allocate(1472);
        int length = new SyncMessageWriter(buffer).resyncRequest(7);
        byte[] request = buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(hex("00 07 000c 00 01 0000 4a565372"), request);
        assertEquals(List.of(), read(request, 0));
        assertTrue(SyncMessageReader.isResyncRequest(MemorySegment.ofArray(request), 7));
        assertTrue(SyncMessageReader.isResyncRequest(MemorySegment.ofArray(request), SyncMessageReader.ANY_SYNCID));
        assertFalse(SyncMessageReader.isResyncRequest(MemorySegment.ofArray(request), 8));
        assertFalse(SyncMessageReader.isResyncRequest(MemorySegment.ofArray(write(7, NAT_ESTABLISHED)), 7));
    }

    @Test
    void oneNatConnection() {
        byte[] golden = hex(
                "00",          // reserved, 0 so that a version 0 receiver drops the message
                "07",          // syncid 7
                "002c",        // size 44: 8 header + 36 entry
                "01",          // nr_conns 1
                "01",          // version SYNC_PROTO_VER 1
                "0000",        // spare
                "00",          // type 0: IPv4
                "06",          // protocol TCP
                "0024",        // ver_size: version 0 (top 4 bits), size 36
                "00000000",    // flags: IP_VS_CONN_F_MASQ
                "0001",        // state IP_VS_TCP_S_ESTABLISHED
                "9c40",        // cport 40000
                "0050",        // vport 80
                "0050",        // dport 80
                "00000000",    // fwmark 0
                "00000384",    // timeout 900 s
                "c6336402",    // caddr 198.51.100.2
                "cb00710a",    // vaddr 203.0.113.10
                "c000020b");   // daddr 192.0.2.11
        assertArrayEquals(golden, write(7, NAT_ESTABLISHED));
        assertEquals(List.of(NAT_ESTABLISHED), read(golden, 1));
    }

    @Test
    void persistenceTemplate() {
        SyncConnection template = new SyncConnection(TCP, SyncConnection.F_TEMPLATE | SyncConnection.F_DROUTE, 0,
                CLIENT, 0, VIP, 80, REAL, 80, 0, 360, null);
        assertTrue(template.isTemplate());
        assertEquals(SyncConnection.F_DROUTE, template.forwardingMethod());
        byte[] golden = hex(
                "00 07 002c 01 01 0000", // header: syncid 7, size 44, one entry, version 1
                "00 06 0024",            // IPv4, TCP, version 0 size 36
                "00001003",              // flags: IP_VS_CONN_F_TEMPLATE 0x1000 | IP_VS_CONN_F_DROUTE 3
                "0000",                  // state IP_VS_CTPL_S_NONE
                "0000",                  // cport 0: a template matches every port of the client
                "0050 0050",             // vport 80, dport 80
                "00000000",              // fwmark 0
                "00000168",              // timeout 360 s: the persistence timeout
                "c6336402 cb00710a c000020b");
        assertArrayEquals(golden, write(7, template));
        assertEquals(List.of(template), read(golden, 1));
    }

    @Test
    void sequenceOptionsAndPaddingBeforeTheNextEntry() {
        SyncConnection ftp = new SyncConnection(TCP, SyncConnection.F_MASQ | SyncConnection.F_SEQ_MASK, 1,
                CLIENT, 40001, VIP, 21, REAL, 21, 0, 900,
                new SyncConnection.SequenceOptions(0x11111111, 4, 0, 0x22222222, -4, 2));
        byte[] golden = hex(
                "00 07 006c 02 01 0000", // header: size 108 = 8 + 62 + 2 padding + 36, two entries
                "00 06 003e",            // IPv4, TCP, version 0 size 62 = 36 + 2 + 24
                "00000600",              // flags: IP_VS_CONN_F_IN_SEQ | IP_VS_CONN_F_OUT_SEQ, MASQ
                "0001 9c41 0015 0015",   // state 1, cport 40001, vport 21, dport 21
                "00000000 00000384",     // fwmark 0, timeout 900
                "c6336402 cb00710a c000020b",
                "01 18",                 // IPVS_OPT_SEQ_DATA, length 24
                "11111111 00000004 00000000", // in_seq: init_seq, delta 4, previous_delta 0
                "22222222 fffffffc 00000002", // out_seq: init_seq, delta -4, previous_delta 2
                "0000",                  // padding: the next entry starts 4-byte aligned
                "00 06 0024 00000000 0001 9c40 0050 0050 00000000 00000384 c6336402 cb00710a c000020b");
        assertArrayEquals(golden, write(7, ftp, NAT_ESTABLISHED));
        assertEquals(List.of(ftp, NAT_ESTABLISHED), read(golden, 2));
    }

    @Test
    void writerClearsHashedAsTheKernelDoes() {
        byte[] message = write(1, NAT_ESTABLISHED.withFlags(SyncConnection.F_HASHED | SyncConnection.F_TUNNEL));
        assertEquals(List.of(NAT_ESTABLISHED.withFlags(SyncConnection.F_TUNNEL)), read(message, 1));
    }

    @Test
    void writerStopsAtTheBufferSize() {
        MemorySegment buffer = Arena.ofAuto().allocate(SyncMessageWriter.payloadLength(1500));
        SyncMessageWriter writer = new SyncMessageWriter(buffer);
        writer.reset(3);
        int added = 0;
        while (writer.add(NAT_ESTABLISHED)) {
            added++;
        }
        assertEquals((1472 - 8) / 36, added);
        int length = writer.finish();
        assertEquals(8 + 36 * added, length);
        assertEquals(added, read(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), added).size());
        writer.reset(3);
        assertEquals(8, writer.finish());
        assertEquals(0, writer.count());
    }

    @Test
    void headerErrors() {
        byte[] good = write(7, NAT_ESTABLISHED);
        read(new byte[0], SyncMessageReader.ERR_TOO_SHORT);
        read(Arrays.copyOf(good, 7), SyncMessageReader.ERR_TOO_SHORT);
        read(Arrays.copyOf(good, good.length + 1), SyncMessageReader.ERR_BAD_SIZE);
        byte[] v0 = good.clone();
        v0[0] = 1; // a version 0 message starts with nr_conns
        read(v0, SyncMessageReader.ERR_NOT_V1);
        byte[] version2 = good.clone();
        version2[5] = 2;
        read(version2, SyncMessageReader.ERR_NOT_V1);
        byte[] spare = good.clone();
        spare[7] = 1;
        read(spare, SyncMessageReader.ERR_NOT_V1);
        assertEquals(SyncMessageReader.ERR_OTHER_SYNCID,
                SyncMessageReader.read(MemorySegment.ofArray(good), 8, c -> { }));
        assertEquals(1, SyncMessageReader.read(MemorySegment.ofArray(good), 7, c -> { }));
    }

    @Test
    void everyTruncationIsAnErrorCode() {
        byte[] good = write(7, new SyncConnection(TCP, SyncConnection.F_SEQ_MASK, 1, CLIENT, 1, VIP, 21, REAL, 21, 0,
                60, new SyncConnection.SequenceOptions(1, 2, 3, 4, 5, 6)), NAT_ESTABLISHED);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertTrue(SyncMessageReader.read(MemorySegment.ofArray(cut), 0, c -> { }) < 0);
            if (n >= 4) { // the header's size made to agree: the entries themselves no longer fit
                cut[2] = (byte) (n >> 8);
                cut[3] = (byte) n;
                int result = SyncMessageReader.read(MemorySegment.ofArray(cut), 0, c -> { });
                assertTrue(result < 0, "prefix " + n + " gave " + result);
            }
        }
    }

    @Test
    void entryErrors() {
        byte[] good = write(7, NAT_ESTABLISHED);
        byte[] version = good.clone();
        version[10] = 0x10; // ver_size 0x1024: entry version 1
        read(version, SyncMessageReader.ERR_ENTRY_VERSION);
        byte[] overrun = good.clone();
        overrun[11] = 37;
        read(overrun, SyncMessageReader.ERR_ENTRY_OVERRUN);
        byte[] type = good.clone();
        type[8] = 2;
        read(type, SyncMessageReader.ERR_ENTRY_TYPE);
        byte[] small = good.clone();
        small[11] = 20;
        read(small, SyncMessageReader.ERR_ENTRY_SHORT);
        byte[] empty = good.clone();
        empty[11] = 0;
        read(empty, SyncMessageReader.ERR_ENTRY_SHORT);
        byte[] count = good.clone();
        count[4] = 2;
        read(count, SyncMessageReader.ERR_ENTRY_TRUNCATED);
    }

    /** A message of the given entries, each the fixed part of {@code c} followed by raw option bytes. */
    static byte[] withOptions(SyncConnection c, int... options) {
        byte[] fixed = write(7, c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(fixed, 0, fixed.length);
        for (int b : options) {
            out.write(b);
        }
        byte[] message = out.toByteArray();
        int size = message.length - 8;
        message[10] = (byte) (size >> 8);
        message[11] = (byte) size;
        message[2] = (byte) (message.length >> 8);
        message[3] = (byte) message.length;
        return message;
    }

    static int[] seqOption(int type, int length) {
        int[] option = new int[2 + length];
        option[0] = type;
        option[1] = length;
        option[5] = 7; // in init_seq 7
        return option;
    }

    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    @Test
    void options() {
        SyncConnection withSeq = NAT_ESTABLISHED.withSequence(new SyncConnection.SequenceOptions(7, 0, 0, 0, 0, 0));
        assertEquals(List.of(withSeq), read(withOptions(NAT_ESTABLISHED, seqOption(1, 24)), 1));
        // an unknown option with IPVS_OPT_F_PARAM is skipped, the entry kept
        assertEquals(List.of(withSeq),
                read(withOptions(NAT_ESTABLISHED, concat(new int[] {0x45, 3, 9, 9, 9}, seqOption(1, 24))), 1));
        // IPVS_OPT_F_PARAM on a known option changes nothing
        assertEquals(List.of(withSeq), read(withOptions(NAT_ESTABLISHED, seqOption(0x41, 24)), 1));
        // an unknown mandatory option drops the entry only
        assertEquals(List.of(), read(withOptions(NAT_ESTABLISHED, 5, 1, 0), 0));
        // PE data without PE name: dropped; with: dropped too, as this codec carries no PE data
        assertEquals(List.of(), read(withOptions(NAT_ESTABLISHED, 2, 2, 'a', 'b'), 0));
        assertEquals(List.of(), read(withOptions(NAT_ESTABLISHED, 2, 1, 'a', 3, 3, 's', 'i', 'p'), 0));
        // PE name alone: the kernel ignores it
        assertEquals(List.of(NAT_ESTABLISHED), read(withOptions(NAT_ESTABLISHED, 3, 3, 's', 'i', 'p'), 1));

        read(withOptions(NAT_ESTABLISHED, seqOption(1, 23)), SyncMessageReader.ERR_SEQ_OPTION);
        read(withOptions(NAT_ESTABLISHED, concat(seqOption(1, 24), seqOption(1, 24))),
                SyncMessageReader.ERR_SEQ_OPTION);
        read(withOptions(NAT_ESTABLISHED, 2, 1, 'a', 2, 1, 'b'), SyncMessageReader.ERR_PE_DATA);
        read(withOptions(NAT_ESTABLISHED, concat(new int[] {3, 17}, new int[17])), SyncMessageReader.ERR_PE_NAME);
        read(withOptions(NAT_ESTABLISHED, 3, 1, 's', 3, 1, 's'), SyncMessageReader.ERR_PE_NAME);
        read(withOptions(NAT_ESTABLISHED, 1), SyncMessageReader.ERR_OPTION_HEADER);
        read(withOptions(NAT_ESTABLISHED, 0x45, 0), SyncMessageReader.ERR_OPTION_LENGTH);
        read(withOptions(NAT_ESTABLISHED, 0x45, 2, 0), SyncMessageReader.ERR_OPTION_LENGTH);
    }

    @Test
    void ipv6EntriesAreSkippedAndReadingGoesOn() {
        // an IPv6 entry: the 20-byte fixed part then three 16-byte addresses, 72 bytes, then an IPv4 entry
        byte[] v4 = write(7, NAT_ESTABLISHED);
        byte[] message = new byte[8 + 72 + 36];
        System.arraycopy(v4, 0, message, 0, 8);
        System.arraycopy(v4, 8, message, 8, 20);
        message[8] = 1;   // type STYPE_F_INET6
        message[11] = 72; // size
        System.arraycopy(v4, 8, message, 8 + 72, 36);
        message[3] = (byte) message.length;
        message[4] = 2;
        assertEquals(List.of(NAT_ESTABLISHED), read(message, 1));
        byte[] shortV6 = message.clone();
        shortV6[11] = 36;
        read(shortV6, SyncMessageReader.ERR_ENTRY_SHORT);
    }

    @Test
    void entriesBeforeAnErrorAreDeliveredAsTheKernelApplies() {
        byte[] message = write(7, NAT_ESTABLISHED, NAT_ESTABLISHED);
        message[8 + 36] = 2; // the second entry's type
        assertEquals(List.of(NAT_ESTABLISHED), read(message, SyncMessageReader.ERR_ENTRY_TYPE));
    }
}
