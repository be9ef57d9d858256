package org.jvs.packet;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;

/**
 * Builds Ethernet/IPv6 test frames byte by byte: extension headers in the order added, then TCP, UDP or ICMPv6
 * with the checksum from {@link #upperLayerChecksum} (the slow oracle, independent of {@link Ipv6Checksum}).
 */
public final class Ipv6FrameBuilder {
    public static final int IP = Reference.ETHERNET;
    /** 2001:db8::a and 2001:db8::b. */
    public static final long DOC_HI = 0x2001_0DB8_0000_0000L;

    private long sourceHi = DOC_HI;
    private long sourceLo = 0xA;
    private long destinationHi = DOC_HI;
    private long destinationLo = 0xB;
    private int trafficClass;
    private int flowLabel = 0x12345;
    private int hopLimit = 64;
    private int protocol = 6;
    private final ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    private int firstExtension = -1;
    private int lastNextHeaderIndex = -1;
    private int sourcePort = 40000;
    private int destinationPort = 80;
    private byte[] payload = new byte[0];
    private boolean checksum = true;
    private int tcpFlags = TcpHeader.ACK;
    private int sequence = 0x11223344;

    public Ipv6FrameBuilder source(long hi, long lo) { sourceHi = hi; sourceLo = lo; return this; }
    public Ipv6FrameBuilder destination(long hi, long lo) { destinationHi = hi; destinationLo = lo; return this; }
    public Ipv6FrameBuilder trafficClass(int value) { trafficClass = value; return this; }
    public Ipv6FrameBuilder flowLabel(int value) { flowLabel = value; return this; }
    public Ipv6FrameBuilder hopLimit(int value) { hopLimit = value; return this; }
    public Ipv6FrameBuilder tcp() { protocol = 6; return this; }
    public Ipv6FrameBuilder udp() { protocol = 17; return this; }
    public Ipv6FrameBuilder icmpv6() { protocol = 58; return this; }
    /** Any upper-layer protocol number; only 6, 17 and 58 get a header and checksum. */
    public Ipv6FrameBuilder protocol(int value) { protocol = value; return this; }
    public Ipv6FrameBuilder ports(int from, int to) { sourcePort = from; destinationPort = to; return this; }
    public Ipv6FrameBuilder tcpFlags(int value) { tcpFlags = value; return this; }
    public Ipv6FrameBuilder sequence(int value) { sequence = value; return this; }
    public Ipv6FrameBuilder payload(byte[] bytes) { payload = bytes; return this; }
    /** Leaves the upper-layer checksum zero. */
    public Ipv6FrameBuilder noChecksum() { checksum = false; return this; }

    public Ipv6FrameBuilder payloadLength(int length) {
        payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 7 + i / 251);
        }
        return this;
    }

    /** Appends an options-type header (hop-by-hop 0, routing 43, destination options 60) of 8 * (units + 1) bytes. */
    public Ipv6FrameBuilder extension(int type, int units) {
        byte[] header = new byte[8 * (units + 1)];
        header[1] = (byte) units;
        // routing type 4 (segment routing), segments left 0: fields a walker must not need
        if (type == 43) {
            header[2] = 4;
        } else {
            header[2] = 1; // PadN covering the rest
            header[3] = (byte) (header.length - 4);
        }
        return append(type, header);
    }

    /** Appends a fragment header. */
    public Ipv6FrameBuilder fragment(int offsetBytes, boolean more, int identification) {
        byte[] header = new byte[8];
        Reference.u16(header, 2, offsetBytes & 0xFFF8 | (more ? 1 : 0));
        Reference.u32(header, 4, identification);
        return append(44, header);
    }

    private Ipv6FrameBuilder append(int type, byte[] header) {
        byte[] chain = extensions.toByteArray();
        if (firstExtension < 0) {
            firstExtension = type;
        } else {
            chain[lastNextHeaderIndex] = (byte) type;
            extensions.reset();
            extensions.writeBytes(chain);
        }
        lastNextHeaderIndex = chain.length;
        extensions.writeBytes(header);
        return this;
    }

    public int upperLayerHeaderLength() {
        return switch (protocol) {
            case 6 -> 20;
            case 17, 58 -> 8;
            default -> 0;
        };
    }

    public byte[] bytes() {
        byte[] chain = extensions.toByteArray();
        if (lastNextHeaderIndex >= 0) {
            chain[lastNextHeaderIndex] = (byte) protocol;
        }
        int upper = upperLayerHeaderLength() + payload.length;
        byte[] frame = new byte[IP + Ipv6Header.LENGTH + chain.length + upper];
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) (FrameBuilder.DESTINATION_MAC >>> (40 - 8 * i));
            frame[6 + i] = (byte) (FrameBuilder.SOURCE_MAC >>> (40 - 8 * i));
        }
        Reference.u16(frame, 12, 0x86DD);
        Reference.u32(frame, IP, 6 << 28 | trafficClass << 20 | flowLabel);
        Reference.u16(frame, IP + 4, chain.length + upper);
        frame[IP + 6] = (byte) (firstExtension < 0 ? protocol : firstExtension);
        frame[IP + 7] = (byte) hopLimit;
        u64(frame, IP + 8, sourceHi);
        u64(frame, IP + 16, sourceLo);
        u64(frame, IP + 24, destinationHi);
        u64(frame, IP + 32, destinationLo);
        System.arraycopy(chain, 0, frame, IP + 40, chain.length);
        int l4 = IP + 40 + chain.length;
        System.arraycopy(payload, 0, frame, l4 + upperLayerHeaderLength(), payload.length);
        switch (protocol) {
            case 6 -> {
                Reference.u16(frame, l4, sourcePort);
                Reference.u16(frame, l4 + 2, destinationPort);
                Reference.u32(frame, l4 + 4, sequence);
                frame[l4 + 12] = 0x50;
                frame[l4 + 13] = (byte) tcpFlags;
                Reference.u16(frame, l4 + 14, 65535);
            }
            case 17 -> {
                Reference.u16(frame, l4, sourcePort);
                Reference.u16(frame, l4 + 2, destinationPort);
                Reference.u16(frame, l4 + 4, upper);
            }
            case 58 -> {
                frame[l4] = (byte) Icmpv6Header.TYPE_ECHO_REQUEST;
                Reference.u16(frame, l4 + 4, 0x6691);
                Reference.u16(frame, l4 + 6, 1);
            }
            default -> { }
        }
        int field = checksumField(protocol);
        if (checksum && field >= 0) {
            Reference.u16(frame, l4 + field, upperLayerChecksum(frame, l4, upper, protocol));
        }
        return frame;
    }

    public MemorySegment segment() {
        return FrameBuilder.copyToNative(bytes());
    }

    /** Where TCP, UDP and ICMPv6 keep their checksum, or -1. */
    public static int checksumField(int protocol) {
        return switch (protocol) {
            case 6 -> 16;
            case 17 -> 6;
            case 58 -> 2;
            default -> -1;
        };
    }

    /**
     * Oracle: the upper-layer checksum of {@code length} bytes at {@code l4} in an Ethernet/IPv6 frame, summed word
     * by word with the RFC 8200 section 8.1 pseudo-header spelled out; the field counts as zero; UDP's 0 is 0xFFFF.
     */
    public static int upperLayerChecksum(byte[] frame, int l4, int length, int protocol) {
        int pseudo = Reference.sum(frame, IP + 8, IP + 40, 0);
        for (int word : new int[] {length >>> 16, length & 0xFFFF, 0, protocol}) {
            pseudo += word;
            pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
        }
        int checksum = Reference.checksumWithoutField(frame, l4, l4 + length, l4 + checksumField(protocol), pseudo);
        return protocol == 17 && checksum == 0 ? 0xFFFF : checksum;
    }

    public static void u64(byte[] bytes, int offset, long value) {
        Reference.u32(bytes, offset, (int) (value >>> 32));
        Reference.u32(bytes, offset + 4, (int) value);
    }

    public static long u64(byte[] bytes, int offset) {
        return (long) Reference.u32(bytes, offset) << 32 | Reference.u32(bytes, offset + 4) & 0xFFFF_FFFFL;
    }
}
