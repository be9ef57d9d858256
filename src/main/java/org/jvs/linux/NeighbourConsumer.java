package org.jvs.linux;

/** Receives one entry of the kernel's ARP cache: the interface, the IPv4 address and its MAC (48 bits). */
@FunctionalInterface
public interface NeighbourConsumer {
    void accept(int ifindex, int ipv4, long mac);
}
