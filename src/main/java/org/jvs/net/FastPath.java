package org.jvs.net;

/**
 * The kernel's share of forwarding: established connections whose packets the host forwards on its own, without
 * the director seeing them. One entry per direction of a connection, keyed by the packet as it arrives (protocol,
 * source, destination, ports), says how to rewrite it (a field given as 0 is kept), where it leaves and to which
 * neighbour. The kernel counts what each entry forwarded; the director folds those counts into its statistics and
 * its expiry. Each data-plane worker has its own instance (its buffers), all over one shared table. Not thread-safe.
 */
public interface FastPath {
    /** {@link #read}'s results, in the array it fills. */
    int PACKETS = 0;
    int BYTES = 1;
    /** The monotonic clock (System.nanoTime's) when the entry last forwarded a packet, 0 for never. */
    int LAST_SEEN_NS = 2;
    int READ_LENGTH = 3;

    /** Whether entries can be installed at all; false for {@link #NONE}. */
    boolean enabled();

    /**
     * Installs (or replaces, with its counters reset) the entry for packets protocol source:sourcePort ->
     * destination:destinationPort: rewritten to newSource:newSourcePort -> newDestination:newDestinationPort
     * (0 keeps a field), TTL decremented, sent on ifindex from sourceMac to destinationMac when it fits mtu.
     * Returns false when the table refused it (full); allocates nothing.
     */
    boolean install(int protocol, int source, int sourcePort, int destination, int destinationPort,
                    int newSource, int newSourcePort, int newDestination, int newDestinationPort,
                    int ifindex, long sourceMac, long destinationMac, int mtu);

    /**
     * Installs (or replaces) the entry for packets protocol source:sourcePort -> destination:destinationPort of a
     * TUN connection: TTL decremented, sent inside an IPIP header from tunnelSource to tunnelDestination on ifindex
     * from sourceMac to destinationMac, when the encapsulated packet (or each segment of a TCP super-packet) fits mtu,
     * the link's. Only packets with DF set are taken. Returns false when the table refused it; allocates nothing.
     */
    boolean installTunnel(int protocol, int source, int sourcePort, int destination, int destinationPort,
                          int tunnelSource, int tunnelDestination, int ifindex, long sourceMac, long destinationMac,
                          int mtu);

    /**
     * Removes the entry keyed by this packet tuple and copies its last counters into {@code into}, in one step so
     * that no packet counted in between is lost; false when there was no entry.
     */
    boolean remove(int protocol, int source, int sourcePort, int destination, int destinationPort, long[] into);

    /**
     * Copies the entry's counters into {@code into} (at {@link #PACKETS}, {@link #BYTES}, {@link #LAST_SEEN_NS});
     * false when there is no entry.
     */
    boolean read(int protocol, int source, int sourcePort, int destination, int destinationPort, long[] into);

    /** No fast path: every packet goes through the director. */
    FastPath NONE = new FastPath() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean install(int protocol, int source, int sourcePort, int destination, int destinationPort,
                               int newSource, int newSourcePort, int newDestination, int newDestinationPort,
                               int ifindex, long sourceMac, long destinationMac, int mtu) {
            return false;
        }

        @Override
        public boolean installTunnel(int protocol, int source, int sourcePort, int destination, int destinationPort,
                                     int tunnelSource, int tunnelDestination, int ifindex, long sourceMac,
                                     long destinationMac, int mtu) {
            return false;
        }

        @Override
        public boolean remove(int protocol, int source, int sourcePort, int destination, int destinationPort,
                              long[] into) {
            return false;
        }

        @Override
        public boolean read(int protocol, int source, int sourcePort, int destination, int destinationPort,
                            long[] into) {
            return false;
        }
    };
}
