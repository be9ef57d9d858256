package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;

/** Sends one ICMP echo request and waits for its reply; PING_CHECK's transport, replaceable by a raw-socket one. */
public interface IcmpEcho {

    /**
     * @param address   destination, IPv4 or IPv6
     * @param bindTo    source address, 0 for the kernel's choice
     * @param timeoutMs how long to wait for the reply
     * @return whether an echo reply came back in time
     */
    boolean echo(InetAddress address, int bindTo, int timeoutMs) throws IOException, InterruptedException;
}
