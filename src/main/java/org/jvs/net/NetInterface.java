package org.jvs.net;

/** A network interface the director is attached to: index, name, MAC (48 bits in a long), MTU, primary IPv4. */
public record NetInterface(int ifindex, String name, long mac, int mtu, int ipv4Address, int ipv4PrefixLength) {

    /** True when address lies in this interface's own IPv4 subnet. */
    public boolean onLink(int address) {
        if (ipv4PrefixLength == 0) {
            return false;
        }
        int mask = ipv4PrefixLength == 32 ? -1 : ~(-1 >>> ipv4PrefixLength);
        return (address & mask) == (ipv4Address & mask);
    }
}
