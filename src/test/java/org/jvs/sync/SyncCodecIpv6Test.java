package org.jvs.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
        assertThat(length).as("the fixed part and the sequence option").isEqualTo(72 + 2 + 24);
        MemorySegment sized = message.asSlice(0, 8 + length);
        sized.set(ValueLayout.JAVA_BYTE, 1, (byte) 1);
        sized.set(SyncWire.BE16, 2, (short) (8 + length));
        sized.set(ValueLayout.JAVA_BYTE, 4, (byte) 1);
        sized.set(ValueLayout.JAVA_BYTE, 5, (byte) 1);
        List<SyncConnection6> read = new ArrayList<>();

        assertThat(SyncMessageReader.read(sized, 1, c -> { }, read::add)).isEqualTo(1);
        assertThat(read).containsExactly(withSequence);
    }

    /** TCP, masquerading (full NAT), ESTABLISHED, with JVS's option: LIP [2001:db8:5::100]:1026, PROXY v2, its ISN. */
    private static final SyncConnection6 FULL_NAT = new SyncConnection6(6, SyncConnection.F_MASQ, 1,
            CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, RIP.hi(), RIP.lo(), 8080, 0, 900, null,
            new SyncConnection6.DirectorState(Ipv6.parse("2001:db8:5::100").hi(), Ipv6.parse("2001:db8:5::100").lo(),
                    1026, 2, 0x01020304));

    private static final String GOLDEN_FULL_NAT = ""
            + "00" + "01" + "006a" + "01" + "01" + "0000"          // size 8 + 98
            + "01" + "06" + "0062"                                 // IPv6, TCP, ver_size 72 + 2 + 24
            + "00000000"                                           // flags: IP_VS_CONN_F_MASQ
            + "0001" + "9c40" + "0050" + "1f90"                    // ESTABLISHED, cport, vport, dport
            + "00000000" + "00000384"                              // fwmark, timeout 900
            + "20010db8000c00000000000000000007"                   // caddr
            + "20010db8000000000000000000000001"                   // vaddr
            + "20010db8000500000000000000000011"                   // daddr
            + "50" + "18"                                          // JVS's option (IPVS_OPT_F_PARAM | 16), 24 bytes
            + "20010db8000500000000000000000100"                   // LIP
            + "0402" + "02" + "00" + "01020304";                   // lport 1026, PROXY v2, 0, client ISN

    /** NAT64: [2001:db8:c::7]:40000 -> [2001:db8::1]:80 -> 198.51.100.2:8080 from 192.0.2.100:40123, IPv4-mapped. */
    private static final SyncConnection6 NAT64 = new SyncConnection6(6, SyncConnection.F_MASQ, 1,
            CLIENT.hi(), CLIENT.lo(), 40000, VIP.hi(), VIP.lo(), 80, 0, Ipv6.mappedLo(0xC6336402), 8080, 0, 900,
            null, new SyncConnection6.DirectorState(0, Ipv6.mappedLo(0xC0000264), 40123, 0, 0x01020304));

    private static final String GOLDEN_NAT64 = ""
            + "00" + "01" + "006a" + "01" + "01" + "0000"
            + "01" + "06" + "0062"
            + "00000000"
            + "0001" + "9c40" + "0050" + "1f90"
            + "00000000" + "00000384"
            + "20010db8000c00000000000000000007"
            + "20010db8000000000000000000000001"
            + "00000000000000000000ffffc6336402"                   // daddr ::ffff:198.51.100.2
            + "50" + "18"
            + "00000000000000000000ffffc0000264"                   // LIP ::ffff:192.0.2.100
            + "9cbb" + "00" + "00" + "01020304";                   // lport 40123, no PROXY header

    static Stream<Arguments> withJvsOption() {
        return Stream.of(Arguments.of("full NAT over IPv6", FULL_NAT, GOLDEN_FULL_NAT),
                Arguments.of("NAT64", NAT64, GOLDEN_NAT64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withJvsOption")
    void shouldWriteAndReadJvsOptionOnAnIpv6Entry24BytesLong(String name, SyncConnection6 entry, String golden) {
        MemorySegment message = segment(HexFormat.of().parseHex(golden));
        message.asSlice(8).fill((byte) 0x5A);

        int length = new SyncEntryEncoder().wrap6(message, 8).encode(entry).length();

        assertThat(length).isEqualTo(98);
        assertThat(HexFormat.of().formatHex(message.toArray(ValueLayout.JAVA_BYTE))).isEqualTo(golden);
        List<SyncConnection6> read = new ArrayList<>();
        assertThat(SyncMessageReader.read(message, 1, e -> { }, read::add)).isEqualTo(1);
        assertThat(read).containsExactly(entry);
    }

    @Test
    void shouldSkipJvsOptionOfTheOtherFamilysLengthAsAnUnknownOptionalOne() {
        // the IPv6 entry with the option cut to the IPv4 form's 12 bytes: skipped, the entry kept without it
        byte[] bytes = HexFormat.of().parseHex(GOLDEN_FULL_NAT.substring(0, (8 + 72) * 2)
                + "50" + "0c" + "c0000264" + "0402" + "02" + "00" + "01020304");
        bytes[3] = (byte) (8 + 72 + 14);
        bytes[8 + 3] = (byte) (72 + 14);
        List<SyncConnection6> read = new ArrayList<>();

        assertThat(SyncMessageReader.read(segment(bytes), 1, e -> { }, read::add)).isEqualTo(1);
        assertThat(read).containsExactly(FULL_NAT.withDirectorState(null));
    }
}
