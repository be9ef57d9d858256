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
