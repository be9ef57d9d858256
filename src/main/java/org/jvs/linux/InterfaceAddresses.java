package org.jvs.linux;

import java.io.IOException;

/**
 * Adds and removes addresses on interfaces over rtnetlink, as keepalived does for a VRRP instance's virtual
 * addresses ({@code ip addr add|del ADDRESS/LEN dev IF label L}; IPv6 ones {@code nodad}, as keepalived adds them).
 * Not thread-safe: one caller at a time.
 */
public final class InterfaceAddresses implements AutoCloseable {
    private static final int EEXIST = 17;
    private static final int EADDRNOTAVAIL = 99;
    private static final int IPV6_SCOPE_LINK = 0x20;
    private static final int IFA_F_DADFAILED = 0x08;
    private final NetlinkSocket socket;

    private InterfaceAddresses(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static InterfaceAddresses open() throws IOException {
        return new InterfaceAddresses(NetlinkSocket.open(0));
    }

    /** Adds the address; true if added, false if the interface already had it. */
    public boolean add(String interfaceName, int address, int prefixLength, String label) throws IOException {
        return change(Rtnetlink.RTM_NEWADDR, interfaceName, address, prefixLength, label, EEXIST);
    }

    /** Removes the address; true if removed, false if the interface did not have it. */
    public boolean remove(String interfaceName, int address, int prefixLength) throws IOException {
        return change(Rtnetlink.RTM_DELADDR, interfaceName, address, prefixLength, "", EADDRNOTAVAIL);
    }

    /** Adds the IPv6 address with IFA_F_NODAD; true if added, false if the interface already had it. */
    public boolean add6(String interfaceName, long hi, long lo, int prefixLength) throws IOException {
        return change6(Rtnetlink.RTM_NEWADDR, interfaceName, hi, lo, prefixLength, EEXIST);
    }

    /** Removes the IPv6 address; true if removed, false if the interface did not have it. */
    public boolean remove6(String interfaceName, long hi, long lo, int prefixLength) throws IOException {
        return change6(Rtnetlink.RTM_DELADDR, interfaceName, hi, lo, prefixLength, EADDRNOTAVAIL);
    }

    private boolean change(int type, String interfaceName, int address, int prefixLength, String label,
                           int alreadyDone) throws IOException {
        int length = Rtnetlink.encodeAddressRequest(socket.buffer(), type, socket.nextSequence(),
                ifindex(interfaceName), address, prefixLength, label);
        return answer(type, length, alreadyDone, org.jvs.service.Ipv4.toString(address) + "/" + prefixLength,
                interfaceName);
    }

    private boolean change6(int type, String interfaceName, long hi, long lo, int prefixLength, int alreadyDone)
            throws IOException {
        int length = Rtnetlink.encodeAddressRequest6(socket.buffer(), type, socket.nextSequence(),
                ifindex(interfaceName), hi, lo, prefixLength);
        return answer(type, length, alreadyDone, org.jvs.service.Ipv6.toString(hi, lo) + "/" + prefixLength,
                interfaceName);
    }

    private static int ifindex(String interfaceName) throws IOException {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex == 0) {
            throw new IOException("no interface " + interfaceName + " in this network namespace");
        }
        return ifindex;
    }

    /** Sends the request; true when done, false when it was done already, else an IOException naming it. */
    private boolean answer(int type, int length, int alreadyDone, String address, String interfaceName)
            throws IOException {
        int error = socket.request(length);
        if (error == 0) {
            return true;
        }
        if (error == -alreadyDone) {
            return false;
        }
        throw new IOException((type == Rtnetlink.RTM_NEWADDR ? "adding " : "removing ") + address + " on "
                + interfaceName + ": " + Native.strerror(-error));
    }

    @Override
    public void close() {
        socket.close();
    }

    /**
     * The interface's IPv6 link-local address as two longs ({@code [hi, lo]}), or null when it has none (yet), from
     * the kernel's list of IPv6 addresses in this thread's network namespace (if_inet6: address, ifindex, prefix
     * length, scope, flags, name; scope 0x20 is link-local). An address whose duplicate detection failed is skipped;
     * a tentative one will do, as keepalived's sockets bind it with IPV6_FREEBIND.
     */
    public static long[] linkLocal(String interfaceName) throws IOException {
        // the calling thread's network namespace (/proc/net is the process's)
        java.nio.file.Path list = java.nio.file.Path.of("/proc/thread-self/net/if_inet6");
        if (!java.nio.file.Files.exists(list)) {
            return null;
        }
        for (String line : java.nio.file.Files.readAllLines(list)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 6 && fields[5].equals(interfaceName) && fields[0].length() == 32
                    && Integer.parseInt(fields[3], 16) == IPV6_SCOPE_LINK
                    && (Integer.parseInt(fields[4], 16) & IFA_F_DADFAILED) == 0) {
                return new long[] {Long.parseUnsignedLong(fields[0].substring(0, 16), 16),
                        Long.parseUnsignedLong(fields[0].substring(16), 16)};
            }
        }
        return null;
    }
}
