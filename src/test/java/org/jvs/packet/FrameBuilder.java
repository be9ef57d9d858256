package org.jvs.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Builds Ethernet/IPv4/TCP-or-UDP test frames byte by byte, checksums from {@link Reference}. */
public final class FrameBuilder {
    public static final long DESTINATION_MAC = 0x02_00_00_00_00_01L;
    public static final long SOURCE_MAC = 0x02_00_00_00_00_02L;

    private int source = Reference.ip(203, 0, 113, 7);
    private int destination = Reference.ip(192, 0, 2, 10);
    private int ttl = 64;
    private int tos;
    private int identification = 0x1234;
    private int flagsAndFragment = 0x4000;
    private int protocol = 6;
    private byte[] ipOptions = new byte[0];
    private int sourcePort = 40000;
    private int destinationPort = 80;
    private int sequence = 0x11223344;
    private int acknowledgment = 0x55667788;
    private int tcpFlags = TcpHeader.ACK;
    private int window = 65535;
    private byte[] tcpOptions = new byte[0];
    private boolean udpChecksum = true;
    private byte[] payload = new byte[0];
    private int padding;
    private boolean partialChecksum;

    public FrameBuilder source(int address) { source = address; return this; }
    public FrameBuilder destination(int address) { destination = address; return this; }
    public FrameBuilder ttl(int value) { ttl = value; return this; }
    public FrameBuilder tos(int value) { tos = value; return this; }
    public FrameBuilder identification(int value) { identification = value; return this; }
    public FrameBuilder dontFragment(boolean set) { flagsAndFragment = set ? 0x4000 : 0; return this; }
    public FrameBuilder flagsAndFragment(int value) { flagsAndFragment = value; return this; }
    public FrameBuilder protocol(int value) { protocol = value; return this; }
    public FrameBuilder udp() { protocol = 17; return this; }
    public FrameBuilder ipOptions(byte[] options) { ipOptions = options; return this; }
    public FrameBuilder ports(int from, int to) { sourcePort = from; destinationPort = to; return this; }
    public FrameBuilder sequence(int value) { sequence = value; return this; }
    public FrameBuilder tcpFlags(int value) { tcpFlags = value; return this; }
    public FrameBuilder acknowledgment(int value) { acknowledgment = value; return this; }
    public FrameBuilder window(int value) { window = value; return this; }
    public FrameBuilder tcpOptions(byte[] options) { tcpOptions = options; return this; }
    public FrameBuilder udpChecksum(boolean computed) { udpChecksum = computed; return this; }
    public FrameBuilder payload(byte[] bytes) { payload = bytes; return this; }
    public FrameBuilder payloadLength(int length) {
        payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 7 + i / 251);
        }
        return this;
    }
    /** Trailing bytes after the IP packet, as Ethernet padding of short frames. */
    public FrameBuilder padding(int bytes) { padding = bytes; return this; }
    /** Leaves the L4 checksum as CHECKSUM_PARTIAL does: the folded pseudo-header sum, not complemented. */
    public FrameBuilder partialChecksum() { partialChecksum = true; return this; }

    public int ipHeaderLength() {
        return 20 + ipOptions.length;
    }

    public byte[] bytes() {
        int ipHeaderLength = ipHeaderLength();
        int l4HeaderLength = protocol == 6 ? 20 + tcpOptions.length : protocol == 17 ? 8 : 0;
        int totalLength = ipHeaderLength + l4HeaderLength + payload.length;
        byte[] frame = new byte[Reference.ETHERNET + totalLength + padding];
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) (DESTINATION_MAC >>> (40 - 8 * i));
            frame[6 + i] = (byte) (SOURCE_MAC >>> (40 - 8 * i));
        }
        Reference.u16(frame, 12, 0x0800);
        int ip = Reference.ETHERNET;
        frame[ip] = (byte) (0x40 | ipHeaderLength / 4);
        frame[ip + 1] = (byte) tos;
        Reference.u16(frame, ip + 2, totalLength);
        Reference.u16(frame, ip + 4, identification);
        Reference.u16(frame, ip + 6, flagsAndFragment);
        frame[ip + 8] = (byte) ttl;
        frame[ip + 9] = (byte) protocol;
        Reference.u32(frame, ip + 12, source);
        Reference.u32(frame, ip + 16, destination);
        System.arraycopy(ipOptions, 0, frame, ip + 20, ipOptions.length);
        Reference.u16(frame, ip + 10, Reference.ipChecksum(frame, ip));
        int l4 = ip + ipHeaderLength;
        System.arraycopy(payload, 0, frame, l4 + l4HeaderLength, payload.length);
        if (protocol == 6) {
            Reference.u16(frame, l4, sourcePort);
            Reference.u16(frame, l4 + 2, destinationPort);
            Reference.u32(frame, l4 + 4, sequence);
            Reference.u32(frame, l4 + 8, acknowledgment);
            frame[l4 + 12] = (byte) ((l4HeaderLength / 4) << 4);
            frame[l4 + 13] = (byte) tcpFlags;
            Reference.u16(frame, l4 + 14, window);
            System.arraycopy(tcpOptions, 0, frame, l4 + 20, tcpOptions.length);
            Reference.u16(frame, l4 + 16, l4Checksum(frame, ip));
        } else if (protocol == 17) {
            Reference.u16(frame, l4, sourcePort);
            Reference.u16(frame, l4 + 2, destinationPort);
            Reference.u16(frame, l4 + 4, l4HeaderLength + payload.length);
            Reference.u16(frame, l4 + 6, udpChecksum ? l4Checksum(frame, ip) : 0);
        }
        return frame;
    }

    private int l4Checksum(byte[] frame, int ip) {
        if (!partialChecksum) {
            return Reference.transportChecksum(frame, ip);
        }
        int pseudo = 0;
        int l4Length = Reference.u16(frame, ip + 2) - ipHeaderLength();
        for (int word : new int[] {source >>> 16, source & 0xFFFF, destination >>> 16, destination & 0xFFFF,
                protocol, l4Length}) {
            pseudo += word;
            pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
        }
        return pseudo;
    }

    /** The frame in native memory, as a received frame would be. */
    public MemorySegment segment() {
        return copyToNative(bytes());
    }

    public static MemorySegment copyToNative(byte[] bytes) {
        MemorySegment segment = Arena.ofAuto().allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, 0, bytes.length);
        return segment;
    }

    public static byte[] toBytes(MemorySegment segment, long offset, int length) {
        return segment.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
}
