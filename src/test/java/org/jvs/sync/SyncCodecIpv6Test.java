package org.jvs.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvs.service.Ipv6;

/** IPv6 entries of the version 1 sync protocol, struct ip_vs_sync_v6, written and read against bytes built by hand. */
class SyncCodecIpv6Test {
    private static final Ipv6 CLIENT = Ipv6.parse("2001:db8:c::7");
    private static final Ipv6 VIP = Ipv6.parse("2001:db8::1");
    private static final Ipv6 RIP = Ipv6.parse("2001:db8:5::11");

    /** TCP, F_INACTIVE, SYN_RECV, [2001:db8:c::7]:40000 -> [2001:db8::1]:80 -> [2001:db8:5::11]:8080, 60 s. */
    private static final SyncConnection6 SYN_RECV = new SyncConnection6(6, SyncConnection.F_INACTIVE, 3,
            CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, RIP.hi(), RIP.lo(), 8080, 0, 60, null);

    /** struct ip_vs_sync_mesg (syncid 1, size 80, one entry, version 1) and struct ip_vs_sync_v6, field by field. */
    private static final String GOLDEN = ""
            + "00" + "01" + "0050" + "01" + "01" + "0000"          // reserved, syncid, size, nr_conns, version, spare
            + "01" + "06" + "0048"                                 // type STYPE_F_INET6, protocol TCP, ver_size 72
            + "00000100"                                           // flags IP_VS_CONN_F_INACTIVE
            + "0003" + "9c40" + "0050" + "1f90"                    // state SYN_RECV, cport, vport, dport
            + "00000000" + "0000003c"                              // fwmark, timeout
            + "20010db8000c00000000000000000007"                   // caddr
            + "20010db8000000000000000000000001"                   // vaddr
            + "20010db8000500000000000000000011";                  // daddr

    private final Arena arena = Arena.ofAuto();

    private MemorySegment segment(byte[] bytes) {
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    @Test
    void shouldWriteAnIpv6EntryAsTheKernelLaysItOut() {
        byte[] golden = HexFormat.of().parseHex(GOLDEN);
        MemorySegment message = segment(golden);
        message.asSlice(8).fill((byte) 0x5A); // the encoder must write every byte of the entry

        int length = new SyncEntryEncoder().wrap6(message, 8).encode(SYN_RECV).length();

        assertThat(length).isEqualTo(72);
        assertThat(HexFormat.of().formatHex(message.toArray(ValueLayout.JAVA_BYTE))).isEqualTo(GOLDEN);
    }

    @Test
    void shouldReadAnIpv6EntryToTheIpv6ConsumerAndSkipItWithoutOne() {
        MemorySegment message = segment(HexFormat.of().parseHex(GOLDEN));
        List<SyncConnection> v4 = new ArrayList<>();
        List<SyncConnection6> v6 = new ArrayList<>();

        assertThat(SyncMessageReader.read(message, 1, v4::add, v6::add)).isEqualTo(1);
        assertThat(v6).containsExactly(SYN_RECV);
        assertThat(v4).isEmpty();
        assertThat(SyncMessageReader.read(message, 1, v4::add)).as("an IPv4-only reader").isZero();
    }

    @Test
    void shouldCarryTheSequenceOptionOfAnIpv6Entry() {
        SyncConnection6 withSequence = new SyncConnection6(6, SyncConnection.F_IN_SEQ, 1, CLIENT.hi(), CLIENT.lo(),
                40001, VIP.hi(), VIP.lo(), 21, RIP.hi(), RIP.lo(), 21, 0, 900,
                new SyncConnection.SequenceOptions(1, 2, 3, 0xFFFFFFF0, 5, 6));
        MemorySegment message = arena.allocate(8 + SyncEntryEncoder.MAX_LENGTH6);
        int length = new SyncEntryEncoder().wrap6(message, 8).encode(withSequence).length();
        assertThat(length).isEqualTo(SyncEntryEncoder.MAX_LENGTH6);
        MemorySegment sized = message.asSlice(0, 8 + length);
        sized.set(ValueLayout.JAVA_BYTE, 1, (byte) 1);
        sized.set(SyncWire.BE16, 2, (short) (8 + length));
        sized.set(ValueLayout.JAVA_BYTE, 4, (byte) 1);
        sized.set(ValueLayout.JAVA_BYTE, 5, (byte) 1);
        List<SyncConnection6> read = new ArrayList<>();

        assertThat(SyncMessageReader.read(sized, 1, c -> { }, read::add)).isEqualTo(1);
        assertThat(read).containsExactly(withSequence);
    }
}
