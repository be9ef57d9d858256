package org.jvs.sync;

import static org.jvs.sync.SyncWire.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes one connection entry of an IPVS sync message, version 1 ({@code struct ip_vs_sync_v4} and its options),
 * in place: a flyweight, so the data plane encodes what it syncs straight into a ring with nothing allocated.
 * Call {@link #wrap}, then every field setter, then the options in wire order ({@link #sequence} before
 * {@link #directorState} or {@link #directorState6}); {@link #length()} is the entry's length so far, which ver_size always holds.
 * Room for {@link #MAX_LENGTH} bytes from the wrapped offset is the caller's to provide.
 */
public final class SyncEntryEncoder {
    /** The longest entry: the fixed part, the sequence option and JVS's option. */
    public static final int MAX_LENGTH = MAX_ENTRY_LENGTH;
    /** The longest IPv6 entry ({@link #wrap6}): the fixed part, the sequence option and JVS's option. */
    public static final int MAX_LENGTH6 = MAX_ENTRY_LENGTH6;

    private MemorySegment buffer;
    private long offset;
    private int length;

    /** Starts an IPv4 entry with no options at {@code offset}. */
    public SyncEntryEncoder wrap(MemorySegment buffer, long offset) {
        this.buffer = buffer;
        this.offset = offset;
        buffer.set(ValueLayout.JAVA_BYTE, offset + C_TYPE, (byte) 0);
        length(V4_LENGTH);
        return this;
    }

    /**
     * Starts an IPv6 entry ({@code struct ip_vs_sync_v6}) with no options at {@code offset}, for which room for
     * {@link #MAX_LENGTH6} bytes is the caller's to provide; its addresses are set with {@link #client6},
     * {@link #virtual6} and {@link #destination6}.
     */
    public SyncEntryEncoder wrap6(MemorySegment buffer, long offset) {
        this.buffer = buffer;
        this.offset = offset;
        buffer.set(ValueLayout.JAVA_BYTE, offset + C_TYPE, (byte) TYPE_F_INET6);
        length(V6_LENGTH);
        return this;
    }

    /** The flags as on the wire: F_HASHED is cleared, as the kernel's sender clears it. */
    public SyncEntryEncoder connection(int protocol, int flags, int state, int fwmark, int timeoutSeconds) {
        buffer.set(ValueLayout.JAVA_BYTE, offset + C_PROTOCOL, (byte) protocol);
        buffer.set(BE32, offset + C_FLAGS, flags & ~SyncConnection.F_HASHED);
        buffer.set(BE16, offset + C_STATE, (short) state);
        buffer.set(BE32, offset + C_FWMARK, fwmark);
        buffer.set(BE32, offset + C_TIMEOUT, timeoutSeconds);
        return this;
    }

    public SyncEntryEncoder client(int address, int port) {
        buffer.set(BE32, offset + C_CADDR, address);
        buffer.set(BE16, offset + C_CPORT, (short) port);
        return this;
    }

    public SyncEntryEncoder virtual(int address, int port) {
        buffer.set(BE32, offset + C_VADDR, address);
        buffer.set(BE16, offset + C_VPORT, (short) port);
        return this;
    }

    public SyncEntryEncoder destination(int address, int port) {
        buffer.set(BE32, offset + C_DADDR, address);
        buffer.set(BE16, offset + C_DPORT, (short) port);
        return this;
    }

    public SyncEntryEncoder client6(long hi, long lo, int port) {
        address6(C6_CADDR, hi, lo);
        buffer.set(BE16, offset + C_CPORT, (short) port);
        return this;
    }

    public SyncEntryEncoder virtual6(long hi, long lo, int port) {
        address6(C6_VADDR, hi, lo);
        buffer.set(BE16, offset + C_VPORT, (short) port);
        return this;
    }

    public SyncEntryEncoder destination6(long hi, long lo, int port) {
        address6(C6_DADDR, hi, lo);
        buffer.set(BE16, offset + C_DPORT, (short) port);
        return this;
    }

    private void address6(int at, long hi, long lo) {
        buffer.set(BE64, offset + at, hi);
        buffer.set(BE64, offset + at + 8, lo);
    }

    /** IPVS_OPT_SEQ_DATA. */
    public SyncEntryEncoder sequence(SyncConnection.SequenceOptions s) {
        long o = option(OPT_SEQ_DATA, SEQ_OPTIONS_LENGTH);
        buffer.set(BE32, o, s.inInitSeq());
        buffer.set(BE32, o + 4, s.inDelta());
        buffer.set(BE32, o + 8, s.inPreviousDelta());
        buffer.set(BE32, o + 12, s.outInitSeq());
        buffer.set(BE32, o + 16, s.outDelta());
        buffer.set(BE32, o + 20, s.outPreviousDelta());
        return this;
    }

    /** JVS's option: see {@link SyncConnection.DirectorState}. */
    public SyncEntryEncoder directorState(int localAddress, int localPort, int proxyVersion, int clientIsn) {
        long o = option(OPT_JVS_STATE, JVS_STATE_LENGTH);
        buffer.set(BE32, o, localAddress);
        proxyState(o + 4, localPort, proxyVersion, clientIsn);
        return this;
    }

    /** JVS's option on an IPv6 entry: see {@link SyncConnection6.DirectorState}. */
    public SyncEntryEncoder directorState6(long localHi, long localLo, int localPort, int proxyVersion,
                                           int clientIsn) {
        long o = option(OPT_JVS_STATE, JVS_STATE_LENGTH6);
        buffer.set(BE64, o, localHi);
        buffer.set(BE64, o + 8, localLo);
        proxyState(o + 16, localPort, proxyVersion, clientIsn);
        return this;
    }

    /** JVS's option after its local address, in either form: lport, PROXY version, a zero byte, client ISN. */
    private void proxyState(long o, int localPort, int proxyVersion, int clientIsn) {
        buffer.set(BE16, o, (short) localPort);
        buffer.set(ValueLayout.JAVA_BYTE, o + 2, (byte) proxyVersion);
        buffer.set(ValueLayout.JAVA_BYTE, o + 3, (byte) 0);
        buffer.set(BE32, o + 4, clientIsn);
    }

    /** Appends an option's type and length, counting its {@code dataLength} bytes in; returns where they go. */
    private long option(int type, int dataLength) {
        long o = offset + length;
        buffer.set(ValueLayout.JAVA_BYTE, o, (byte) type);
        buffer.set(ValueLayout.JAVA_BYTE, o + 1, (byte) dataLength);
        length(length + 2 + dataLength);
        return o + 2;
    }

    /** Writes the whole of {@code c}. */
    public SyncEntryEncoder encode(SyncConnection c) {
        connection(c.protocol(), c.flags(), c.state(), c.fwmark(), c.timeoutSeconds())
                .client(c.clientAddress(), c.clientPort())
                .virtual(c.virtualAddress(), c.virtualPort())
                .destination(c.destinationAddress(), c.destinationPort());
        if (c.sequence() != null) {
            sequence(c.sequence());
        }
        SyncConnection.DirectorState d = c.director();
        if (d != null) {
            directorState(d.localAddress(), d.localPort(), d.proxyVersion(), d.clientIsn());
        }
        return this;
    }

    /** Writes the whole of {@code c} into an entry started with {@link #wrap6}. */
    public SyncEntryEncoder encode(SyncConnection6 c) {
        connection(c.protocol(), c.flags(), c.state(), c.fwmark(), c.timeoutSeconds())
                .client6(c.clientHi(), c.clientLo(), c.clientPort())
                .virtual6(c.virtualHi(), c.virtualLo(), c.virtualPort())
                .destination6(c.destinationHi(), c.destinationLo(), c.destinationPort());
        if (c.sequence() != null) {
            sequence(c.sequence());
        }
        SyncConnection6.DirectorState d = c.director();
        if (d != null) {
            directorState6(d.localHi(), d.localLo(), d.localPort(), d.proxyVersion(), d.clientIsn());
        }
        return this;
    }

    /** The entry's length so far: the fixed part and the options written. */
    public int length() {
        return length;
    }

    private void length(int newLength) {
        length = newLength;
        // version 0 in the top four bits
        buffer.set(BE16, offset + C_VER_SIZE, (short) (newLength & SVER_MASK));
    }
}
