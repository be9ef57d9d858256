package org.jvs.core;

import java.util.Locale;

/**
 * The director's data-plane counters, in one table: what it did with frames, and every reason it dropped one. A drop
 * is never silent: each reason has its own counter, shown by {@code jvs counters} under its {@link #label()} (the
 * constant's name in lower case). The ordinal is the counter's id in each worker's {@link Counters}.
 */
public enum Counter {
    FRAMES_IN,
    NOT_OURS,
    FORWARDED_TO_REAL_SERVER,
    FORWARDED_TO_CLIENT,
    NEW_CONNECTIONS,
    ARP_REPLIES_SENT,
    ARP_REQUESTS_SENT,
    DROP_MALFORMED,
    DROP_NO_CONNECTION,
    DROP_NO_REAL_SERVER,
    DROP_TABLE_FULL,
    DROP_NO_ROUTE,
    DROP_OUTPUT,
    ICMP_FRAG_NEEDED_SENT,
    DROP_TOO_BIG,
    /** Fragments dropped with their datagram: overlapping, inconsistent, or a datagram beyond 65535 bytes. */
    DROP_FRAGMENT_MALFORMED,
    DROP_OVERSIZE_NOT_TCP,
    SEGMENTED_GSO_FRAMES,
    CHECKSUMS_COMPLETED,
    DROP_TTL_EXCEEDED,
    /** GSO super-packets handed on whole, their segmentation left to the kernel. */
    FORWARDED_GSO_WHOLE,
    /** Frames handed on with their checksum still partial (super-packets included), completed by the kernel. */
    FORWARDED_CHECKSUM_PARTIAL,
    /** A new full-NAT connection refused: no free source port on any local address towards its real server. */
    DROP_LOCAL_PORTS_EXHAUSTED,
    /** ICMP errors about a NAT/full-NAT connection sent on, translated from the real-server side to the client's view. */
    ICMP_ERRORS_TO_CLIENT,
    /** ICMP errors about a NAT/full-NAT reply sent on, translated from the client side to the real server's view. */
    ICMP_ERRORS_TO_REAL_SERVER,
    /** ICMP errors whose quoted packet cannot be read. */
    DROP_MALFORMED_ICMP,
    /** Client segments that got a PROXY protocol header in front of their payload (retransmissions included). */
    PROXY_HEADERS_INSERTED,
    /** Segments of a PROXY protocol connection dropped because their TCP header or options cannot be adjusted. */
    DROP_PROXY_MALFORMED,
    /**
     * Frames that waited for their next hop's ARP reply and were dropped: pushed out by newer ones when every
     * waiting slot was taken, or not answered within a second (the kernel's arp_queue drops alike).
     */
    DROP_NEIGHBOUR_UNRESOLVED,
    /**
     * Client packets whose entry ended on them and that were scheduled anew: a SYN on a finished connection, or a
     * packet of a connection whose real server was removed (or, for a SYN, has weight 0) under expire_nodest_conn.
     */
    CONNECTIONS_RESCHEDULED,
    /** IPv4 fragments of datagrams for the director (to a virtual service, or NAT and full-NAT replies). */
    FRAGMENTS_IN,
    /** Datagrams made whole from their fragments and forwarded as one. */
    DATAGRAMS_REASSEMBLED,
    /** Datagrams under reassembly dropped for not completing within 30 s (ipfrag_time). */
    DROP_FRAGMENT_TIMEOUT,
    /** Datagrams under reassembly pushed out by newer ones when every reassembly buffer was taken. */
    DROP_FRAGMENT_OVERFLOW,
    /** Datagrams larger than the way out, sent on in fragments (DF clear), as the kernel's ip_fragment. */
    DATAGRAMS_FRAGMENTED,
    /**
     * Frames this worker received for a connection another worker owns (an ICMP error, a datagram reassembled
     * here, a packet steered before a configuration change reached the kernel's program) and handed to it.
     */
    FRAMES_HANDED_OFF,
    /** Frames for another worker lost because its hand-off inbox was full. */
    DROP_HANDOFF_FULL,
    /** Connection entries this director queued for its sync daemon to send (ip_vs_sync_conn). */
    SYNC_ENTRIES_QUEUED,
    /** Entries not synced because the sync daemon's queue was full (the kernel's sync_qlen_max drops alike). */
    SYNC_QUEUE_FULL,
    /** Entries a peer synced that this director entered or refreshed. */
    SYNC_ENTRIES_APPLIED,
    /** Synced entries refused: no such service or real server here, an unknown protocol, or a full table. */
    SYNC_ENTRIES_REFUSED,
    /** Neighbour Advertisements sent for an IPv6 VIP or local address (RFC 4861 7.2.4), ARP_REPLIES_SENT's twin. */
    ND_ADVERTISEMENTS_SENT,
    /** Neighbour Solicitations sent to resolve an IPv6 next hop (RFC 4861 7.2.2), ARP_REQUESTS_SENT's twin. */
    ND_SOLICITATIONS_SENT,
    /** Neighbour Solicitations and Advertisements dropped as RFC 4861 7.1.1 and 7.1.2 say (hop limit, checksum...). */
    DROP_ND_INVALID,
    /** ICMPv6 Packet Too Big sent for an IPv6 packet too long for the way out, ICMP_FRAG_NEEDED_SENT's twin. */
    ICMPV6_PACKET_TOO_BIG_SENT,
    /**
     * IPv6 packets to a virtual service or from a real server whose extension headers hide the upper layer (IPsec,
     * no next header, a chain truncated or out of RFC 8200's order).
     */
    DROP_IPV6_EXTENSION_HEADERS,
    /** Super-packets an IPv6 tunnel or NAT64 would have to cut in software (the core cuts IPv4 TCP only). */
    DROP_GSO_NOT_SEGMENTED,
    /** Connection directions handed to the kernel's fast path: their packets no longer reach JVS. */
    FAST_PATH_INSTALLED,
    /** Fast-path entries taken back: the TCP state left ESTABLISHED, the entry expired, its server went. */
    FAST_PATH_REMOVED,
    /** Fast-path entries the kernel refused (its table full): the connection stays on the director's path. */
    FAST_PATH_INSTALL_FAILED,
    /** Packets and bytes the kernel forwarded on the fast path, folded into the services' statistics. */
    FAST_PATH_PACKETS_FOLDED,
    FAST_PATH_BYTES_FOLDED;

    private static final Counter[] ALL = values();

    /** How many counters there are (each worker's {@link Counters} holds one of each). */
    public static final int COUNT = ALL.length;

    private final String label;

    Counter() {
        label = name().toLowerCase(Locale.ROOT);
    }

    /** The name {@code jvs counters} and the metrics show: {@code drop_no_route}. */
    public String label() {
        return label;
    }

    /** The counter with id {@code id} (its ordinal). */
    public static Counter of(int id) {
        return ALL[id];
    }
}
