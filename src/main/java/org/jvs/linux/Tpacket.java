package org.jvs.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The kernel's packet-socket ABI (include/uapi/linux/if_packet.h): the structs AF_PACKET rings are made of, as
 * memory layouts, and the byte offsets the hot path reads. Ring headers are in host byte order; only
 * sockaddr_ll.sll_protocol is big-endian.
 */
final class Tpacket {
    static final int ETH_P_ALL = 0x0003;

    static final int PACKET_RX_RING = 5;
    static final int PACKET_VERSION = 10;
    static final int PACKET_TX_RING = 13;
    static final int PACKET_LOSS = 14;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;

    static final int TPACKET_V2 = 1;
    static final int TPACKET_V3 = 2;

    static final int PACKET_OUTGOING = 4;

    /** RX: block/frame belongs to user space. */
    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** TX: slot free / queued for the kernel / malformed (kernel skipped it with PACKET_LOSS). */
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_WRONG_FORMAT = 4;

    /** TPACKET_ALIGNMENT: frame headers and data start on 16-byte boundaries. */
    static final int TPACKET_ALIGNMENT = 16;

    /*
     * struct tpacket_req3 {
     *     unsigned int tp_block_size;       // Minimal size of contiguous block
     *     unsigned int tp_block_nr;         // Number of blocks
     *     unsigned int tp_frame_size;       // Size of frame
     *     unsigned int tp_frame_nr;         // Total number of frames
     *     unsigned int tp_retire_blk_tov;   // timeout in msecs
     *     unsigned int tp_sizeof_priv;      // offset to private data area
     *     unsigned int tp_feature_req_word;
     * };
     * (struct tpacket_req, used for the V2 TX ring, is its first four fields.)
     */
    static final StructLayout TPACKET_REQ3 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr"),
            JAVA_INT.withName("tp_retire_blk_tov"),
            JAVA_INT.withName("tp_sizeof_priv"),
            JAVA_INT.withName("tp_feature_req_word"));
    static final long REQ_BLOCK_SIZE = offset(TPACKET_REQ3, "tp_block_size");
    static final long REQ_BLOCK_NR = offset(TPACKET_REQ3, "tp_block_nr");
    static final long REQ_FRAME_SIZE = offset(TPACKET_REQ3, "tp_frame_size");
    static final long REQ_FRAME_NR = offset(TPACKET_REQ3, "tp_frame_nr");
    static final long REQ3_RETIRE_BLK_TOV = offset(TPACKET_REQ3, "tp_retire_blk_tov");
    static final int TPACKET_REQ_SIZE = 16;

    /*
     * struct tpacket_bd_ts { unsigned int ts_sec; union { unsigned int ts_usec; unsigned int ts_nsec; }; };
     * struct tpacket_hdr_v1 {
     *     __u32 block_status;
     *     __u32 num_pkts;
     *     __u32 offset_to_first_pkt;
     *     __u32 blk_len;
     *     __aligned_u64 seq_num;
     *     struct tpacket_bd_ts ts_first_pkt, ts_last_pkt;
     * };
     * struct tpacket_block_desc {
     *     __u32 version;
     *     __u32 offset_to_priv;
     *     union tpacket_bd_header_u { struct tpacket_hdr_v1 bh1; } hdr;
     * };
     */
    static final StructLayout TPACKET_BLOCK_DESC = MemoryLayout.structLayout(
            JAVA_INT.withName("version"),
            JAVA_INT.withName("offset_to_priv"),
            JAVA_INT.withName("block_status"),
            JAVA_INT.withName("num_pkts"),
            JAVA_INT.withName("offset_to_first_pkt"),
            JAVA_INT.withName("blk_len"),
            JAVA_LONG.withName("seq_num"),
            MemoryLayout.sequenceLayout(4, JAVA_INT).withName("ts_first_and_last_pkt"));
    static final long BLOCK_STATUS = offset(TPACKET_BLOCK_DESC, "block_status");
    static final long BLOCK_NUM_PKTS = offset(TPACKET_BLOCK_DESC, "num_pkts");
    static final long BLOCK_OFFSET_TO_FIRST_PKT = offset(TPACKET_BLOCK_DESC, "offset_to_first_pkt");

    /*
     * struct tpacket3_hdr {
     *     __u32 tp_next_offset;
     *     __u32 tp_sec;
     *     __u32 tp_nsec;
     *     __u32 tp_snaplen;
     *     __u32 tp_len;
     *     __u32 tp_status;
     *     __u16 tp_mac;
     *     __u16 tp_net;
     *     union { struct tpacket_hdr_variant1 { __u32 tp_rxhash; __u32 tp_vlan_tci;
     *                                           __u16 tp_vlan_tpid; __u16 tp_padding; } hv1; };
     *     __u8  tp_padding[8];
     * };
     */
    static final StructLayout TPACKET3_HDR = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_next_offset"),
            JAVA_INT.withName("tp_sec"),
            JAVA_INT.withName("tp_nsec"),
            JAVA_INT.withName("tp_snaplen"),
            JAVA_INT.withName("tp_len"),
            JAVA_INT.withName("tp_status"),
            JAVA_SHORT.withName("tp_mac"),
            JAVA_SHORT.withName("tp_net"),
            JAVA_INT.withName("tp_rxhash"),
            JAVA_INT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            JAVA_SHORT.withName("hv1_padding"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tp_padding"));
    static final long V3_NEXT_OFFSET = offset(TPACKET3_HDR, "tp_next_offset");
    static final long V3_SNAPLEN = offset(TPACKET3_HDR, "tp_snaplen");
    static final long V3_LEN = offset(TPACKET3_HDR, "tp_len");
    static final long V3_STATUS = offset(TPACKET3_HDR, "tp_status");
    static final long V3_MAC = offset(TPACKET3_HDR, "tp_mac");
    /** The kernel places a sockaddr_ll right after TPACKET_ALIGN(sizeof(struct tpacket3_hdr)). */
    static final long V3_SOCKADDR_LL = align(TPACKET3_HDR.byteSize());

    /*
     * struct tpacket2_hdr {
     *     __u32 tp_status;
     *     __u32 tp_len;
     *     __u32 tp_snaplen;
     *     __u16 tp_mac;
     *     __u16 tp_net;
     *     __u32 tp_sec;
     *     __u32 tp_nsec;
     *     __u16 tp_vlan_tci;
     *     __u16 tp_vlan_tpid;
     *     __u8  tp_padding[4];
     * };
     */
    static final StructLayout TPACKET2_HDR = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_status"),
            JAVA_INT.withName("tp_len"),
            JAVA_INT.withName("tp_snaplen"),
            JAVA_SHORT.withName("tp_mac"),
            JAVA_SHORT.withName("tp_net"),
            JAVA_INT.withName("tp_sec"),
            JAVA_INT.withName("tp_nsec"),
            JAVA_SHORT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("tp_padding"));
    static final long V2_STATUS = offset(TPACKET2_HDR, "tp_status");
    static final long V2_LEN = offset(TPACKET2_HDR, "tp_len");
    /**
     * Where the kernel reads a V2 TX frame's data without PACKET_TX_HAS_OFF:
     * tp_hdrlen - sizeof(struct sockaddr_ll) = TPACKET_ALIGN(sizeof(struct tpacket2_hdr)).
     */
    static final long V2_TX_DATA = align(TPACKET2_HDR.byteSize());

    /*
     * struct sockaddr_ll {
     *     unsigned short sll_family;
     *     __be16         sll_protocol;
     *     int            sll_ifindex;
     *     unsigned short sll_hatype;
     *     unsigned char  sll_pkttype;
     *     unsigned char  sll_halen;
     *     unsigned char  sll_addr[8];
     * };
     */
    static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));
    static final long SLL_FAMILY = offset(SOCKADDR_LL, "sll_family");
    static final long SLL_PROTOCOL = offset(SOCKADDR_LL, "sll_protocol");
    static final long SLL_IFINDEX = offset(SOCKADDR_LL, "sll_ifindex");
    static final long SLL_PKTTYPE = offset(SOCKADDR_LL, "sll_pkttype");
    static final ValueLayout.OfShort BIG_ENDIAN_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private Tpacket() {
    }

    static long align(long length) {
        return (length + TPACKET_ALIGNMENT - 1) & -TPACKET_ALIGNMENT;
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }
}
