package org.jvs.core;

import org.jvs.xmit.Verdict;

/**
 * The director's data-plane counters: what it did with frames, and every reason it dropped one. A drop is never
 * silent: each reason has its own counter, shown by `jvs counters`.
 */
public final class Counters {
    public static final int FRAMES_IN = 0;
    public static final int NOT_OURS = 1;
    public static final int FORWARDED_TO_REAL_SERVER = 2;
    public static final int FORWARDED_TO_CLIENT = 3;
    public static final int NEW_CONNECTIONS = 4;
    public static final int ARP_REPLIES_SENT = 5;
    public static final int ARP_REQUESTS_SENT = 6;
    public static final int DROP_MALFORMED = 7;
    public static final int DROP_NO_CONNECTION = 8;
    public static final int DROP_NO_REAL_SERVER = 9;
    public static final int DROP_TABLE_FULL = 10;
    public static final int DROP_NO_ROUTE = 11;
    public static final int DROP_OUTPUT = 12;
    public static final int ICMP_FRAG_NEEDED_SENT = 13;
    public static final int DROP_TOO_BIG = 14;
    /** Fragments dropped with their datagram: overlapping, inconsistent, or a datagram beyond 65535 bytes. */
    public static final int DROP_FRAGMENT_MALFORMED = 15;
    public static final int DROP_OVERSIZE_NOT_TCP = 16;
    public static final int SEGMENTED_GSO_FRAMES = 17;
    public static final int CHECKSUMS_COMPLETED = 18;
    public static final int DROP_TTL_EXCEEDED = 19;
    /** GSO super-packets handed on whole, their segmentation left to the kernel. */
    public static final int FORWARDED_GSO_WHOLE = 20;
    /** Frames handed on with their checksum still partial (super-packets included), completed by the kernel. */
    public static final int FORWARDED_CHECKSUM_PARTIAL = 21;
    /** A new full-NAT connection refused: no free source port on any local address towards its real server. */
    public static final int DROP_LOCAL_PORTS_EXHAUSTED = 22;
    /** ICMP errors about a NAT/full-NAT connection sent on, translated from the real-server side to the client's view. */
    public static final int ICMP_ERRORS_TO_CLIENT = 23;
    /** ICMP errors about a NAT/full-NAT reply sent on, translated from the client side to the real server's view. */
    public static final int ICMP_ERRORS_TO_REAL_SERVER = 24;
    /** ICMP errors whose quoted packet cannot be read. */
    public static final int DROP_MALFORMED_ICMP = 25;
    /** Client segments that got a PROXY protocol header in front of their payload (retransmissions included). */
    public static final int PROXY_HEADERS_INSERTED = 26;
    /** Segments of a PROXY protocol connection dropped because their TCP header or options cannot be adjusted. */
    public static final int DROP_PROXY_MALFORMED = 27;
    /**
     * Frames that waited for their next hop's ARP reply and were dropped: pushed out by newer ones when every
     * waiting slot was taken, or not answered within a second (the kernel's arp_queue drops alike).
     */
    public static final int DROP_NEIGHBOUR_UNRESOLVED = 28;
    /**
     * Client packets whose entry ended on them and that were scheduled anew: a SYN on a finished connection, or a
     * packet of a connection whose real server was removed (or, for a SYN, has weight 0) under expire_nodest_conn.
     */
    public static final int CONNECTIONS_RESCHEDULED = 29;
    /** IPv4 fragments of datagrams for the director (to a virtual service, or NAT and full-NAT replies). */
    public static final int FRAGMENTS_IN = 30;
    /** Datagrams made whole from their fragments and forwarded as one. */
    public static final int DATAGRAMS_REASSEMBLED = 31;
    /** Datagrams under reassembly dropped for not completing within 30 s (ipfrag_time). */
    public static final int DROP_FRAGMENT_TIMEOUT = 32;
    /** Datagrams under reassembly pushed out by newer ones when every reassembly buffer was taken. */
    public static final int DROP_FRAGMENT_OVERFLOW = 33;
    /** Datagrams larger than the way out, sent on in fragments (DF clear), as the kernel's ip_fragment. */
    public static final int DATAGRAMS_FRAGMENTED = 34;
    /**
     * Frames this worker received for a connection another worker owns (an ICMP error, a datagram reassembled
     * here, a packet steered before a configuration change reached the kernel's program) and handed to it.
     */
    public static final int FRAMES_HANDED_OFF = 35;
    /** Frames for another worker lost because its hand-off inbox was full. */
    public static final int DROP_HANDOFF_FULL = 36;
    /** Connection entries this director queued for its sync daemon to send (ip_vs_sync_conn). */
    public static final int SYNC_ENTRIES_QUEUED = 37;
    /** Entries not synced because the sync daemon's queue was full (the kernel's sync_qlen_max drops alike). */
    public static final int SYNC_QUEUE_FULL = 38;
    /** Entries a peer synced that this director entered or refreshed. */
    public static final int SYNC_ENTRIES_APPLIED = 39;
    /** Synced entries refused: no such service or real server here, an unknown protocol, or a full table. */
    public static final int SYNC_ENTRIES_REFUSED = 40;

    private static final String[] NAMES = {
        "frames_in", "not_ours", "forwarded_to_real_server", "forwarded_to_client", "new_connections",
        "arp_replies_sent", "arp_requests_sent", "drop_malformed", "drop_no_connection", "drop_no_real_server",
        "drop_table_full", "drop_no_route", "drop_output", "icmp_frag_needed_sent", "drop_too_big", "drop_fragment_malformed",
        "drop_oversize_not_tcp", "segmented_gso_frames", "checksums_completed", "drop_ttl_exceeded",
        "forwarded_gso_whole", "forwarded_checksum_partial", "drop_local_ports_exhausted", "icmp_errors_to_client",
        "icmp_errors_to_real_server", "drop_malformed_icmp", "proxy_headers_inserted", "drop_proxy_malformed",
        "drop_neighbour_unresolved", "connections_rescheduled",
        "fragments_in", "datagrams_reassembled", "drop_fragment_timeout", "drop_fragment_overflow",
        "datagrams_fragmented", "frames_handed_off", "drop_handoff_full",
        "sync_entries_queued", "sync_queue_full", "sync_entries_applied", "sync_entries_refused",
    };

    public static final int COUNT = NAMES.length;

    private final long[] values = new long[COUNT];

    public void increment(int counter) {
        values[counter]++;
    }

    /** Counts a transmitter's verdict other than SENT under its drop (or ICMP) reason. */
    void countVerdict(int verdict) {
        switch (verdict) {
            case Verdict.SENT -> { }
            case Verdict.NO_ROUTE -> increment(Counters.DROP_NO_ROUTE);
            case Verdict.OUTPUT_DROP -> increment(Counters.DROP_OUTPUT);
            case Verdict.FRAGMENTATION_NEEDED -> increment(Counters.ICMP_FRAG_NEEDED_SENT);
            case Verdict.TOO_BIG -> increment(Counters.DROP_TOO_BIG);
            case Verdict.TTL_EXCEEDED -> increment(Counters.DROP_TTL_EXCEEDED);
            default -> increment(Counters.DROP_MALFORMED);
        }
    }

    public long get(int counter) {
        return values[counter];
    }

    public static String name(int counter) {
        return NAMES[counter];
    }

    public long[] snapshot() {
        return values.clone();
    }
}
