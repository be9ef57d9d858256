package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * VRRP on one interface, as keepalived speaks it: a raw IPv4 socket of protocol 112 bound to the interface, joined
 * to 224.0.0.18 there, sending with TTL 255 (receivers drop anything else: it proves the advert was not routed)
 * and precedence "internetwork control", multicast not looped back to itself. Receives whole IPv4 packets (header
 * included, as raw sockets do).
 */
public final class VrrpLink implements AutoCloseable {
    public static final int IPPROTO_VRRP = 112;
    /** 224.0.0.18, the VRRP multicast group (RFC 3768, 5798). */
    public static final int VRRP_GROUP = 0xE0000012;
    private static final int TTL = 255;
    private static final int IPTOS_PREC_INTERNETCONTROL = 0xC0;
    private static final int IP_TOS = 1;
    private static final int IP_TTL = 2;
    private static final int IP_MULTICAST_IF = 32;
    private static final int IP_MULTICAST_TTL = 33;
    private static final int IP_MULTICAST_LOOP = 34;
    private static final int IP_ADD_MEMBERSHIP = 35;
    private static final int SO_BINDTODEVICE = 25;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final String interfaceName;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment destination = arena.allocate(SOCKADDR_IN_SIZE, 4);
    private final MemorySegment source = arena.allocate(SOCKADDR_IN_SIZE, 4);
    private final MemorySegment sourceLength = arena.allocate(ValueLayout.JAVA_INT);

    private VrrpLink(String interfaceName, int fd) {
        this.interfaceName = interfaceName;
        this.fd = fd;
    }

    /**
     * Opens VRRP on {@code interfaceName}, its multicast adverts sent from {@code sourceAddress} (0: the kernel
     * picks the interface's primary address). With {@code unicastAddress} (unicast_src_ip) the socket is bound to
     * it: unicast adverts leave from it, and only those sent to it arrive. Without, it is left unbound, since a raw
     * socket bound to an address receives nothing addressed to the group.
     */
    public static VrrpLink open(String interfaceName, int sourceAddress, int unicastAddress) throws IOException {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex == 0) {
            throw new IOException("VRRP: no interface " + interfaceName + " in this network namespace");
        }
        int fd = (int) Native.check(Native.socket(Native.AF_INET, Native.SOCK_RAW | Native.SOCK_CLOEXEC
                | Native.SOCK_NONBLOCK, IPPROTO_VRRP), "socket(AF_INET, SOCK_RAW, 112) for VRRP on " + interfaceName);
        VrrpLink link = new VrrpLink(interfaceName, fd);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment name = local.allocateFrom(interfaceName, StandardCharsets.US_ASCII);
            link.check(Native.setsockopt(fd, Native.SOL_SOCKET, SO_BINDTODEVICE, name, (int) name.byteSize()),
                    "SO_BINDTODEVICE");
            link.setInt(IP_TTL, TTL, local);
            link.setInt(IP_MULTICAST_TTL, TTL, local);
            link.setInt(IP_MULTICAST_LOOP, 0, local);
            link.setInt(IP_TOS, IPTOS_PREC_INTERNETCONTROL, local);
            // struct ip_mreqn { struct in_addr imr_multiaddr, imr_address; int imr_ifindex; }
            MemorySegment membership = local.allocate(12, 4);
            membership.set(BE32, 0, VRRP_GROUP);
            membership.set(BE32, 4, sourceAddress);
            membership.set(ValueLayout.JAVA_INT, 8, ifindex);
            link.check(Native.setsockopt(fd, Native.IPPROTO_IP, IP_ADD_MEMBERSHIP, membership, 12),
                    "IP_ADD_MEMBERSHIP 224.0.0.18");
            link.check(Native.setsockopt(fd, Native.IPPROTO_IP, IP_MULTICAST_IF, membership, 12), "IP_MULTICAST_IF");
            if (unicastAddress != 0) {
                MemorySegment bound = local.allocate(SOCKADDR_IN_SIZE, 4);
                bound.set(ValueLayout.JAVA_SHORT, 0, (short) Native.AF_INET);
                bound.set(BE32, 4, unicastAddress);
                link.check(Native.bind(fd, bound, SOCKADDR_IN_SIZE), "bind to the source address");
            }
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    private void setInt(int option, int value, Arena local) throws IOException {
        MemorySegment segment = local.allocate(ValueLayout.JAVA_INT);
        segment.set(ValueLayout.JAVA_INT, 0, value);
        check(Native.setsockopt(fd, Native.IPPROTO_IP, option, segment, 4), "setsockopt " + option);
    }

    private void check(long result, String what) throws IOException {
        Native.check(result, "VRRP on " + interfaceName + ": " + what);
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int pollFd() {
        return fd;
    }

    /** Sends {@code length} bytes of VRRP message to {@code address} (the group, or a unicast peer). */
    public void send(MemorySegment message, int length, int address) throws IOException {
        destination.set(ValueLayout.JAVA_SHORT, 0, (short) Native.AF_INET);
        destination.set(BE16, 2, (short) 0);
        destination.set(BE32, 4, address);
        check(Native.sendto(fd, message, length, 0, destination, SOCKADDR_IN_SIZE), "sendto");
    }

    /**
     * Reads one IPv4 packet (header included) into {@code buffer} without waiting: its length, or 0 when none is
     * waiting.
     */
    public int receive(MemorySegment buffer) throws IOException {
        sourceLength.set(ValueLayout.JAVA_INT, 0, SOCKADDR_IN_SIZE);
        long received = Native.recvfrom(fd, buffer, buffer.byteSize(), Native.MSG_DONTWAIT, source, sourceLength);
        if (received == -Native.EAGAIN || received == -Native.EINTR) {
            return 0;
        }
        check(received, "recvfrom");
        return (int) received;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            Native.close(fd);
            arena.close();
        }
    }
}
