package org.jvs.sync;

import static org.jvs.sync.SyncWire.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/**
 * Validates and decodes a received IPVS sync message, version 1, with the checks of the kernel's
 * ip_vs_process_message() and ip_vs_proc_sync_conn(), and hands each IPv4 entry to a consumer. Never throws on what
 * it reads: {@link #read} returns the number of entries delivered, or a negative error code.
 * <p>
 * As in the kernel, an entry is decoded and delivered before the next one is looked at, so when an error stops a
 * message the entries before it have already been delivered; the rest of the message is dropped. Some entries are
 * skipped silently and the message goes on, as the kernel does (its positive return codes):
 * <ul>
 * <li>IPv6 entries (type bit STYPE_F_INET6): checked, then given to the IPv6 consumer of
 *     {@link #read(MemorySegment, int, Consumer, Consumer)}, or skipped by a reader that has none.</li>
 * <li>an entry with an unknown option type lacking IPVS_OPT_F_PARAM (0x40), that is one the receiver must
 *     understand. An unknown option with that bit is skipped and the entry kept.</li>
 * <li>an entry with IPVS_OPT_PE_DATA (persistence-engine data, such as SIP Call-ID) and no IPVS_OPT_PE_NAME, which the
 *     kernel drops, or with both, which this codec does not carry and so drops too rather than deliver a
 *     persistence template without its engine's data.</li>
 * </ul>
 * JVS's own option (0x50) is read by its length: 12 bytes on an IPv4 entry ({@link SyncConnection.DirectorState}),
 * 24 on an IPv6 one ({@link SyncConnection6.DirectorState}); any other is skipped as an unknown optional option.
 * Protocol and state are not checked here (the kernel drops an entry for a protocol it does not handle or with a
 * state past the protocol's last): that is for the consumer. Entries past the header's count are ignored.
 */
public final class SyncMessageReader {
    /** The datagram is shorter than the version 1 header. */
    public static final int ERR_TOO_SHORT = -1;
    /** The header's size is not the datagram's length. */
    public static final int ERR_BAD_SIZE = -2;
    /** Not a version 1 header (version 1, reserved 0, spare 0): an old version 0 message, which this does not read. */
    public static final int ERR_NOT_V1 = -3;
    /** The message is for another syncid (not an error of the message: ignore it). */
    public static final int ERR_OTHER_SYNCID = -4;
    /** The header counts more entries than the message has room for ("Dropping buffer, too small"). */
    public static final int ERR_ENTRY_TRUNCATED = -5;
    /** An entry's size reaches past the message ("msg > buffer"). */
    public static final int ERR_ENTRY_OVERRUN = -6;
    /** An entry's version (ver_size's top 4 bits) is not 0. */
    public static final int ERR_ENTRY_VERSION = -7;
    /** An entry's type is neither IPv4 (0) nor has the IPv6 bit (the kernel's -10). */
    public static final int ERR_ENTRY_TYPE = -10;
    /** An entry's size is smaller than its fixed part (-20). */
    public static final int ERR_ENTRY_SHORT = -20;
    /** An option's type and length do not fit in the entry (-30). */
    public static final int ERR_OPTION_HEADER = -30;
    /** An option's length is 0 or reaches past the entry (-40). */
    public static final int ERR_OPTION_LENGTH = -40;
    /** IPVS_OPT_SEQ_DATA is not 24 bytes long, or comes twice (-50). */
    public static final int ERR_SEQ_OPTION = -50;
    /** IPVS_OPT_PE_DATA comes twice (-60). */
    public static final int ERR_PE_DATA = -60;
    /** IPVS_OPT_PE_NAME is longer than 16 bytes, or comes twice (-70). */
    public static final int ERR_PE_NAME = -70;

    /** Accept messages of every syncid, as a backup configured with syncid 0 does. */
    public static final int ANY_SYNCID = 0;

    /** An entry that was well formed but is not delivered. */
    private static final int SKIP = 1;

    private SyncMessageReader() {
    }

    /**
     * Decodes {@code datagram}, whose byte size is the received datagram's length.
     *
     * @param syncid {@link #ANY_SYNCID}, or the only syncid (1..255) to accept
     * @return the number of entries given to {@code consumer}, or one of the negative ERR_ codes
     */
    public static int read(MemorySegment datagram, int syncid, Consumer<? super SyncConnection> consumer) {
        return read(datagram, syncid, consumer, null);
    }

    /**
     * As {@link #read(MemorySegment, int, Consumer)}, each IPv6 entry given to {@code consumer6} (null: skipped)
     * and counted among those delivered.
     */
    public static int read(MemorySegment datagram, int syncid, Consumer<? super SyncConnection> consumer,
                           Consumer<? super SyncConnection6> consumer6) {
        long length = datagram.byteSize();
        if (length < HEADER_LENGTH) {
            return ERR_TOO_SHORT;
        }
        if (length != Short.toUnsignedInt(datagram.get(BE16, H_SIZE))) {
            return ERR_BAD_SIZE;
        }
        if (syncid != ANY_SYNCID && u8(datagram, H_SYNCID) != syncid) {
            return ERR_OTHER_SYNCID;
        }
        if (u8(datagram, H_VERSION) != PROTO_VERSION || u8(datagram, H_RESERVED) != 0
                || datagram.get(BE16, H_SPARE) != 0) {
            return ERR_NOT_V1;
        }
        int count = u8(datagram, H_NR_CONNS);
        int delivered = 0;
        long next = HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            long p = next;
            if (p + V4_LENGTH > length) {
                return ERR_ENTRY_TRUNCATED;
            }
            int verSize = Short.toUnsignedInt(datagram.get(BE16, p + C_VER_SIZE));
            int size = verSize & SVER_MASK;
            long end = p + size;
            if (end > length) {
                return ERR_ENTRY_OVERRUN;
            }
            if (verSize >>> SVER_SHIFT != 0) {
                return ERR_ENTRY_VERSION;
            }
            int result = entry(datagram, p, end, consumer, consumer6);
            if (result < 0) {
                return result;
            }
            if (result == 0) {
                delivered++;
            }
            next = p + ((size + 3) & ~3);
        }
        return delivered;
    }

    /** One entry from {@code p} to {@code end}: 0 when delivered, {@link #SKIP}, or an error code. */
    private static int entry(MemorySegment m, long p, long end, Consumer<? super SyncConnection> consumer,
                             Consumer<? super SyncConnection6> consumer6) {
        int type = u8(m, p + C_TYPE);
        boolean inet6 = (type & TYPE_F_INET6) != 0;
        if (!inet6 && type != 0) {
            return ERR_ENTRY_TYPE;
        }
        long o = p + (inet6 ? V6_LENGTH : V4_LENGTH);
        if (o > end) {
            return ERR_ENTRY_SHORT;
        }
        SyncConnection.SequenceOptions sequence = null;
        SyncConnection.DirectorState director = null;
        SyncConnection6.DirectorState director6 = null;
        boolean peData = false;
        boolean peName = false;
        while (o < end) {
            if (o + 2 > end) {
                return ERR_OPTION_HEADER;
            }
            int optionType = u8(m, o);
            int optionLength = u8(m, o + 1);
            o += 2;
            if (optionLength == 0 || o + optionLength > end) {
                return ERR_OPTION_LENGTH;
            }
            switch (optionType & ~OPT_F_PARAM) {
                case OPT_SEQ_DATA -> {
                    if (optionLength != SEQ_OPTIONS_LENGTH || sequence != null) {
                        return ERR_SEQ_OPTION;
                    }
                    sequence = new SyncConnection.SequenceOptions(
                            m.get(BE32, o), m.get(BE32, o + 4), m.get(BE32, o + 8),
                            m.get(BE32, o + 12), m.get(BE32, o + 16), m.get(BE32, o + 20));
                }
                case OPT_PE_DATA -> {
                    // IP_VS_PEDATA_MAXLEN is 255: a one-byte length is never over it
                    if (peData) {
                        return ERR_PE_DATA;
                    }
                    peData = true;
                }
                case OPT_PE_NAME -> {
                    if (optionLength > PE_NAME_MAXLEN || peName) {
                        return ERR_PE_NAME;
                    }
                    peName = true;
                }
                default -> {
                    if (optionType == OPT_JVS_STATE && optionLength == JVS_STATE_LENGTH && director == null
                            && !inet6) {
                        director = new SyncConnection.DirectorState(m.get(BE32, o),
                                Short.toUnsignedInt(m.get(BE16, o + 4)), u8(m, o + 6), m.get(BE32, o + 8));
                    } else if (optionType == OPT_JVS_STATE && optionLength == JVS_STATE_LENGTH6 && director6 == null
                            && inet6) {
                        director6 = new SyncConnection6.DirectorState(m.get(BE64, o), m.get(BE64, o + 8),
                                Short.toUnsignedInt(m.get(BE16, o + 16)), u8(m, o + 18), m.get(BE32, o + 20));
                    } else if ((optionType & OPT_F_PARAM) == 0) {
                        return SKIP; // an unknown mandatory option: the kernel drops this entry only
                    }
                }
            }
            o += optionLength;
        }
        if (peData || inet6 && consumer6 == null) {
            return SKIP;
        }
        if (inet6) {
            consumer6.accept(new SyncConnection6(u8(m, p + C_PROTOCOL), m.get(BE32, p + C_FLAGS),
                    Short.toUnsignedInt(m.get(BE16, p + C_STATE)),
                    m.get(BE64, p + C6_CADDR), m.get(BE64, p + C6_CADDR + 8),
                    Short.toUnsignedInt(m.get(BE16, p + C_CPORT)),
                    m.get(BE64, p + C6_VADDR), m.get(BE64, p + C6_VADDR + 8),
                    Short.toUnsignedInt(m.get(BE16, p + C_VPORT)),
                    m.get(BE64, p + C6_DADDR), m.get(BE64, p + C6_DADDR + 8),
                    Short.toUnsignedInt(m.get(BE16, p + C_DPORT)),
                    m.get(BE32, p + C_FWMARK), m.get(BE32, p + C_TIMEOUT), sequence, director6));
            return 0;
        }
        consumer.accept(new SyncConnection(u8(m, p + C_PROTOCOL), m.get(BE32, p + C_FLAGS),
                Short.toUnsignedInt(m.get(BE16, p + C_STATE)),
                m.get(BE32, p + C_CADDR), Short.toUnsignedInt(m.get(BE16, p + C_CPORT)),
                m.get(BE32, p + C_VADDR), Short.toUnsignedInt(m.get(BE16, p + C_VPORT)),
                m.get(BE32, p + C_DADDR), Short.toUnsignedInt(m.get(BE16, p + C_DPORT)),
                m.get(BE32, p + C_FWMARK), m.get(BE32, p + C_TIMEOUT), sequence, director));
        return 0;
    }

    /**
     * Whether {@code datagram} is JVS's resync request: a well-formed version 1 message of {@code syncid} (or any,
     * with {@link #ANY_SYNCID}) with no entries, followed by "JVSr". A kernel backup takes it for an empty message.
     */
    public static boolean isResyncRequest(MemorySegment datagram, int syncid) {
        return datagram.byteSize() == RESYNC_LENGTH
                && Short.toUnsignedInt(datagram.get(BE16, H_SIZE)) == RESYNC_LENGTH
                && (syncid == ANY_SYNCID || u8(datagram, H_SYNCID) == syncid)
                && u8(datagram, H_VERSION) == PROTO_VERSION && u8(datagram, H_RESERVED) == 0
                && u8(datagram, H_NR_CONNS) == 0 && datagram.get(BE16, H_SPARE) == 0
                && datagram.get(BE32, HEADER_LENGTH) == RESYNC_MAGIC;
    }

    /** The syncid in a message's header. */
    public static int syncid(MemorySegment datagram) {
        return datagram.byteSize() < HEADER_LENGTH ? -1 : u8(datagram, H_SYNCID);
    }

    private static int u8(MemorySegment m, long offset) {
        return Byte.toUnsignedInt(m.get(ValueLayout.JAVA_BYTE, offset));
    }
}
