package org.jvs.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Classic pcap (the libpcap file format tcpdump and Wireshark read), Ethernet frames, microsecond timestamps, in
 * the writer's byte order, little-endian, as the magic number tells a reader:
 * <pre>
 * global header: magic 0xa1b2c3d4 | version 2 | 4 | thiszone 0 | sigfigs 0 | snaplen | network 1 (LINKTYPE_ETHERNET)
 * record header: ts_sec | ts_usec | incl_len | orig_len, then incl_len bytes of the frame
 * </pre>
 */
final class PcapWriter implements AutoCloseable {
    static final int MAGIC = 0xa1b2c3d4;
    static final int LINKTYPE_ETHERNET = 1;
    static final int GLOBAL_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;

    private final OutputStream out;
    private final int snapLength;
    private int frames;

    /** Writes the global header at once. */
    PcapWriter(OutputStream out, int snapLength) throws IOException {
        this.out = out;
        this.snapLength = snapLength;
        ByteBuffer header = ByteBuffer.allocate(GLOBAL_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snapLength)
                .putInt(LINKTYPE_ETHERNET);
        out.write(header.array());
    }

    /** One frame seen at {@code epochNs}; {@code bytes} is what was captured of its {@code originalLength}. */
    void write(long epochNs, byte[] bytes, int originalLength) throws IOException {
        int included = Math.min(bytes.length, snapLength);
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt((int) (epochNs / 1_000_000_000L)).putInt((int) (epochNs % 1_000_000_000L / 1_000))
                .putInt(included).putInt(Math.max(originalLength, included));
        out.write(header.array());
        out.write(bytes, 0, included);
        frames++;
    }

    int frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
