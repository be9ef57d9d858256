package org.jvs.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
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
    static final int PACKET_VNET_HDR = 15;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;

    static final int TPACKET_V2 = 1;

    static final int PACKET_OUTGOING = 4;

    /** RX: frame belongs to the kernel / to user space; the other bits are flags on a user-owned frame. */
    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    /** The frame did not fit its slot and was queued whole on the socket (PACKET_COPY_THRESH): read it with recv. */
    static final int TP_STATUS_COPY = 1 << 1;
    static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** TX: slot free / queued for the kernel / malformed (kernel skipped it with PACKET_LOSS). */
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_WRONG_FORMAT = 4;

    /** TPACKET_ALIGNMENT: frame headers and data start on 16-byte boundaries. */
    static final int TPACKET_ALIGNMENT = 16;

    /*
     * struct tpacket_req {
     *     unsigned int tp_block_size;  // Minimal size of contiguous block
     *     unsigned int tp_block_nr;    // Number of blocks
     *     unsigned int tp_frame_size;  // Size of frame
     *     unsigned int tp_frame_nr;    // Total number of frames
     * };
     */
    static final StructLayout TPACKET_REQ = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr"));
    static final long REQ_BLOCK_SIZE = offset(TPACKET_REQ, "tp_block_size");
    static final long REQ_BLOCK_NR = offset(TPACKET_REQ, "tp_block_nr");
    static final long REQ_FRAME_SIZE = offset(TPACKET_REQ, "tp_frame_size");
    static final long REQ_FRAME_NR = offset(TPACKET_REQ, "tp_frame_nr");

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
    static final long V2_SNAPLEN = offset(TPACKET2_HDR, "tp_snaplen");
    static final long V2_MAC = offset(TPACKET2_HDR, "tp_mac");
    /** RX: the kernel places a sockaddr_ll right after TPACKET_ALIGN(sizeof(struct tpacket2_hdr)). */
    static final long V2_SOCKADDR_LL = align(TPACKET2_HDR.byteSize());
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
