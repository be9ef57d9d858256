package org.jvs.sync;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Layout constants of the IPVS sync protocol version 1 (net/netfilter/ipvs/ip_vs_sync.c). */
final class SyncWire {
    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** {@code struct ip_vs_sync_mesg}: reserved, syncid, size (be16), nr_conns, version, spare (u16). */
    static final int HEADER_LENGTH = 8;
    static final int H_RESERVED = 0;
    static final int H_SYNCID = 1;
    static final int H_SIZE = 2;
    static final int H_NR_CONNS = 4;
    static final int H_VERSION = 5;
    static final int H_SPARE = 6;
    static final int PROTO_VERSION = 1;
    static final int MAX_CONNS = 0xFF;
    static final int MAX_SIZE = 0xFFFF;

    /** {@code struct ip_vs_sync_v4}. */
    static final int V4_LENGTH = 36;
    /** {@code struct ip_vs_sync_v6}: same fixed part, then three 16-byte addresses. */
    static final int V6_LENGTH = 72;
    static final int C_TYPE = 0;
    static final int C_PROTOCOL = 1;
    static final int C_VER_SIZE = 2;
    static final int C_FLAGS = 4;
    static final int C_STATE = 8;
    static final int C_CPORT = 10;
    static final int C_VPORT = 12;
    static final int C_DPORT = 14;
    static final int C_FWMARK = 16;
    static final int C_TIMEOUT = 20;
    static final int C_CADDR = 24;
    static final int C_VADDR = 28;
    static final int C_DADDR = 32;
    /** {@code struct ip_vs_sync_v6}'s addresses (struct in6_addr, network order) after the same fixed part. */
    static final int C6_CADDR = 24;
    static final int C6_VADDR = 40;
    static final int C6_DADDR = 56;

    /** Type bit STYPE_F_INET6; a type of 0 is IPv4. */
    static final int TYPE_F_INET6 = 1;
    /** ver_size: the entry's version in the top 4 bits (SVER_SHIFT), its length in the low 12 (SVER_MASK). */
    static final int SVER_SHIFT = 12;
    static final int SVER_MASK = 0x0FFF;

    static final int OPT_SEQ_DATA = 1;
    static final int OPT_PE_DATA = 2;
    static final int OPT_PE_NAME = 3;
    /** An option type with this bit set is optional: a receiver that does not know it skips it. */
    static final int OPT_F_PARAM = 1 << (7 - 1);
    /** {@code struct ip_vs_sync_conn_options}: two {@code struct ip_vs_seq} of three be32. */
    static final int SEQ_OPTIONS_LENGTH = 24;
    static final int PE_NAME_MAXLEN = 16;
    /** JVS's own option: optional, so a kernel backup skips it; see {@link SyncConnection.DirectorState}. */
    static final int OPT_JVS_STATE = OPT_F_PARAM | 16;
    static final int JVS_STATE_LENGTH = 12;
    /** The same option on an IPv6 entry: see {@link SyncConnection6.DirectorState}. */
    static final int JVS_STATE_LENGTH6 = 24;
    /** The longest entry the encoder writes: the fixed part, the sequence option and JVS's option. */
    static final int MAX_ENTRY_LENGTH = V4_LENGTH + 2 + SEQ_OPTIONS_LENGTH + 2 + JVS_STATE_LENGTH;
    /** The longest IPv6 entry the encoder writes: the fixed part, the sequence option and JVS's option. */
    static final int MAX_ENTRY_LENGTH6 = V6_LENGTH + 2 + SEQ_OPTIONS_LENGTH + 2 + JVS_STATE_LENGTH6;
    /**
     * A resync request, JVS's: a version 1 message with no entries whose header is followed by these four bytes
     * ("JVSr"). The kernel reads the header, finds no entries and ignores the rest.
     */
    static final int RESYNC_MAGIC = 0x4A565372;
    static final int RESYNC_LENGTH = HEADER_LENGTH + 4;

    private SyncWire() {
    }
}
