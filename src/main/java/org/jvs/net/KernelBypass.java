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
    };
}
