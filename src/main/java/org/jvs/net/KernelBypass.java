package org.jvs.net;

/**
 * Keeps the host's own stack away from packets the director handles, so the kernel neither answers them (RST, ICMP
 * unreachable) nor forwards them. The Linux implementation drops them at tc ingress, after AF_PACKET saw them.
 */
public interface KernelBypass {

    /** Packets to a virtual service: (protocol, VIP, port). */
    void addService(int protocol, int address, int port);

    void removeService(int protocol, int address, int port);

    /** NAT replies from a real server: (protocol, RIP, port). */
    void addNatRealServer(int protocol, int address, int port);

    void removeNatRealServer(int protocol, int address, int port);

    /**
     * Full-NAT replies from a real server: (protocol, RIP, port), to a local address (LIP) at a port of the
     * full-NAT port range. Replies to any other destination (the director's own health checks) stay the kernel's.
     */
    void addFullNatRealServer(int protocol, int address, int port);

    void removeFullNatRealServer(int protocol, int address, int port);

    /** A full-NAT local address (LIP) in use by some service. */
    void addLocalAddress(int address);

    void removeLocalAddress(int address);

    /** The source ports full NAT allocates on local addresses, both ends included; the kernel must not use them. */
    void fullNatPorts(int lowest, int highest);

    /** Packets to an IPv6 virtual service: (protocol, VIP as two longs, port). No-op where the driver has no IPv6. */
    default void addService6(int protocol, long addressHi, long addressLo, int port) {
    }

    default void removeService6(int protocol, long addressHi, long addressLo, int port) {
    }

    /** NAT66 replies from an IPv6 real server: (protocol, RIP, port). */
    default void addNatRealServer6(int protocol, long addressHi, long addressLo, int port) {
    }

    default void removeNatRealServer6(int protocol, long addressHi, long addressLo, int port) {
    }

    /** Full-NAT replies from an IPv6 real server, to an IPv6 local address at a port of the full-NAT range. */
    default void addFullNatRealServer6(int protocol, long addressHi, long addressLo, int port) {
    }

    default void removeFullNatRealServer6(int protocol, long addressHi, long addressLo, int port) {
    }

    /** An IPv6 full-NAT local address (LIP) in use by some service. */
    default void addLocalAddress6(long addressHi, long addressLo) {
    }

    default void removeLocalAddress6(long addressHi, long addressLo) {
    }

    /** For tests and set-ups where nothing needs hiding from the kernel. */
    KernelBypass NONE = new KernelBypass() {
        @Override
        public void addService(int protocol, int address, int port) {
        }

        @Override
        public void removeService(int protocol, int address, int port) {
        }

        @Override
        public void addNatRealServer(int protocol, int address, int port) {
        }

        @Override
        public void removeNatRealServer(int protocol, int address, int port) {
        }

        @Override
        public void addFullNatRealServer(int protocol, int address, int port) {
        }

        @Override
        public void removeFullNatRealServer(int protocol, int address, int port) {
        }

        @Override
        public void addLocalAddress(int address) {
        }

        @Override
        public void removeLocalAddress(int address) {
        }

        @Override
        public void fullNatPorts(int lowest, int highest) {
        }
    };
}
