package org.jvs.sync;

import static org.jvs.sync.SyncWire.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Builds an IPVS sync message, version 1, in a caller-supplied buffer, byte for byte as the kernel's
 * ip_vs_sync_conn() fills its sync buffer:
 * <pre>
 *  header   | 0 | syncid | size (be16) | nr_conns | version 1 | spare 0 (u16) |
 *  entry    | type 0 | protocol | ver_size (be16) | flags (be32) | state (be16) | cport | vport | dport (be16) |
 *           | fwmark (be32) | timeout s (be32) | caddr | vaddr | daddr (be32) |
 *  options  | IPVS_OPT_SEQ_DATA 1 | 24 | in: init_seq delta previous_delta | out: the same (be32 each) |
 *           | JVS 0x50 | 12 | local address (be32) | local port (be16) | PROXY version | 0 | client ISN (be32) |
 * </pre>
 * ver_size is the entry's length (fixed part and options) with version 0 in its top 4 bits. Entries start 4-byte
 * aligned: the zero padding goes before the next entry, so a message never ends in padding, and it is counted in
 * the header's size but not in any entry's ver_size.
 * <p>
 * The buffer's size is the most the message may take: the UDP payload the sync socket's MTU allows, 1472 bytes
 * (1500 - 20 - 8) as the kernel's master uses ({@link #payloadLength(int)}). Nothing here allocates.
 */
public final class SyncMessageWriter {
    private final SyncEntryEncoder encoder = new SyncEntryEncoder();
    private final MemorySegment buffer;
    private final int capacity;
    private int head;
    private int count;

    /** {@code mtu} less the IPv4 and UDP headers: the kernel's default sync_maxlen. */
    public static int payloadLength(int mtu) {
        return payloadLength(mtu, false);
    }

    /** As {@link #payloadLength(int)} for a daemon syncing over IPv6 ({@code ipv6}): a 40-byte IP header. */
    public static int payloadLength(int mtu, boolean ipv6) {
        return mtu - (ipv6 ? 40 : 20) - 8;
    }

    /** The bytes {@code connection} takes as an entry, without the padding before it. */
    public static int entryLength(SyncConnection connection) {
        return V4_LENGTH + (connection.sequence() != null ? 2 + SEQ_OPTIONS_LENGTH : 0)
                + (connection.director() != null ? 2 + JVS_STATE_LENGTH : 0);
    }

    public SyncMessageWriter(MemorySegment buffer) {
        if (buffer.byteSize() < HEADER_LENGTH + V4_LENGTH) {
            throw new IllegalArgumentException("buffer of " + buffer.byteSize() + " bytes holds no entry");
        }
        this.buffer = buffer;
        this.capacity = (int) Math.min(buffer.byteSize(), MAX_SIZE);
        reset(0);
    }

    /** Starts a new, empty message for {@code syncid} (0..255). */
    public void reset(int syncid) {
        if (syncid < 0 || syncid > 0xFF) {
            throw new IllegalArgumentException("syncid " + syncid + " not in 0..255");
        }
        buffer.set(ValueLayout.JAVA_BYTE, H_RESERVED, (byte) 0);
        buffer.set(ValueLayout.JAVA_BYTE, H_SYNCID, (byte) syncid);
        buffer.set(BE16, H_SIZE, (short) HEADER_LENGTH);
        buffer.set(ValueLayout.JAVA_BYTE, H_NR_CONNS, (byte) 0);
        buffer.set(ValueLayout.JAVA_BYTE, H_VERSION, (byte) PROTO_VERSION);
        buffer.set(BE16, H_SPARE, (short) 0);
        head = HEADER_LENGTH;
        count = 0;
    }

    /**
     * Appends {@code c}; false, leaving the message as it was, when it no longer fits (the buffer is full, or the
     * message already holds the 255 entries its count can say): send what {@link #finish()} gives and start again.
     */
    public boolean add(SyncConnection c) {
        int length = entryLength(c);
        if (!fits(length)) {
            return false;
        }
        pad();
        encoder.wrap(buffer, head).encode(c);
        head += length;
        count++;
        return true;
    }

    /**
     * Appends an entry already encoded (by a {@link SyncEntryEncoder}) at {@code offset} of {@code source}, whose
     * ver_size gives its length; false, as {@link #add}, when it no longer fits.
     */
    public boolean addEncoded(MemorySegment source, long offset) {
        int length = Short.toUnsignedInt(source.get(BE16, offset + C_VER_SIZE)) & SVER_MASK;
        if (!fits(length)) {
            return false;
        }
        pad();
        MemorySegment.copy(source, offset, buffer, head, length);
        head += length;
        count++;
        return true;
    }

    private boolean fits(int length) {
        return count < MAX_CONNS && head + (-head & 3) + length <= capacity;
    }

    /** Entries start 4-byte aligned: zeroes up to the next entry's start. */
    private void pad() {
        while ((head & 3) != 0) {
            buffer.set(ValueLayout.JAVA_BYTE, head++, (byte) 0);
        }
    }

    /** A resync request (JVS's, see the reader): a message with no entries, then "JVSr"; returns its length. */
    public int resyncRequest(int syncid) {
        reset(syncid);
        buffer.set(BE32, HEADER_LENGTH, RESYNC_MAGIC);
        buffer.set(BE16, H_SIZE, (short) RESYNC_LENGTH);
        return RESYNC_LENGTH;
    }

    /** Writes the header's size and nr_conns; returns the message's length, the bytes to send. */
    public int finish() {
        buffer.set(BE16, H_SIZE, (short) head);
        buffer.set(ValueLayout.JAVA_BYTE, H_NR_CONNS, (byte) count);
        return head;
    }

    /** Entries added since {@link #reset(int)}. */
    public int count() {
        return count;
    }

    /** The message's length so far. */
    public int length() {
        return head;
    }

    public MemorySegment buffer() {
        return buffer;
    }
}
