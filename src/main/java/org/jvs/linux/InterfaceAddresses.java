package org.jvs.linux;

import java.io.IOException;

/**
 * Adds and removes IPv4 addresses on interfaces over rtnetlink, as keepalived does for a VRRP instance's virtual
 * addresses ({@code ip addr add|del ADDRESS/LEN dev IF label L}). Not thread-safe: one caller at a time.
 */
public final class InterfaceAddresses implements AutoCloseable {
    private static final int EEXIST = 17;
    private static final int EADDRNOTAVAIL = 99;
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

    private boolean change(int type, String interfaceName, int address, int prefixLength, String label,
                           int alreadyDone) throws IOException {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex == 0) {
            throw new IOException("no interface " + interfaceName + " in this network namespace");
        }
        int length = Rtnetlink.encodeAddressRequest(socket.buffer(), type, socket.nextSequence(), ifindex, address,
                prefixLength, label);
        int error = socket.request(length);
        if (error == 0) {
            return true;
        }
        if (error == -alreadyDone) {
            return false;
        }
        throw new IOException((type == Rtnetlink.RTM_NEWADDR ? "adding " : "removing ")
                + org.jvs.service.Ipv4.toString(address) + "/" + prefixLength + " on " + interfaceName + ": "
                + Native.strerror(-error));
    }

    @Override
    public void close() {
        socket.close();
    }
}
