package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;
import java.net.NetworkInterface;

/**
 * ICMP echo through {@link java.net.InetAddress#isReachable}: with CAP_NET_RAW (the director runs as root for
 * AF_PACKET anyway) the JDK sends a real echo request on a raw ICMP socket. Without it the JDK falls back to a
 * TCP connect to port 7, where even a refused connection counts as reachable; a Linux ICMP datagram socket
 * implementation of {@link IcmpEcho} avoids that.
 */
public final class InetAddressIcmpEcho implements IcmpEcho {

    @Override
    public boolean echo(InetAddress address, int bindTo, int timeoutMs) throws IOException, InterruptedException {
        // isReachable binds by interface, not by address: the interface owning bindto is the closest match.
        NetworkInterface source = bindTo == 0 ? null : NetworkInterface.getByInetAddress(Connections.inet(bindTo));
        boolean reachable = address.isReachable(source, 0, timeoutMs);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return reachable;
    }
}
