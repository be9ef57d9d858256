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
 * <p>
 * Over IPv6 ({@link #open6}) a raw IPv6 socket of next header 112, as keepalived's open_vrrp_read_socket and
 * open_vrrp_send_socket set theirs up: joined to ff02::12 on the interface (multicast) and bound to the source
 * address (the interface's link-local address, or unicast_src_ip; IPV6_FREEBIND, so a tentative one will do), hop
 * limit 255 and traffic class 0xc0, multicast not looped back. An IPv6 raw socket hands over the payload alone: the
 * hop limit and destination come as ancillary data (IPV6_RECVHOPLIMIT, IPV6_RECVPKTINFO), read by
 * {@link #receive6} into {@link #hopLimit()}, {@link #destinationHi()}... for the caller's checks.
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
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** ff02::12, the VRRP group for IPv6 (RFC 5798 5.1.2.2), as {@code IpAddress}'s two longs. */
    public static final long VRRP_GROUP6_HI = 0xFF02_0000_0000_0000L;
    public static final long VRRP_GROUP6_LO = 0x12L;
    private static final int IPV6_UNICAST_HOPS = 16;
    private static final int IPV6_MULTICAST_IF = 17;
    private static final int IPV6_MULTICAST_HOPS = 18;
    private static final int IPV6_MULTICAST_LOOP = 19;
    private static final int IPV6_ADD_MEMBERSHIP = 20;
    private static final int IPV6_RECVPKTINFO = 49;
    private static final int IPV6_PKTINFO = 50;
    private static final int IPV6_RECVHOPLIMIT = 51;
    private static final int IPV6_HOPLIMIT = 52;
    private static final int IPV6_TCLASS = 67;
    private static final int IPV6_FREEBIND = 78;
    /** struct sockaddr_in6 { sa_family_t; in_port_t; uint32_t flowinfo; struct in6_addr (at 8); uint32_t scope_id; } */
    private static final int SOCKADDR_IN6_SIZE = 28;
    /** struct mmsghdr { struct msghdr (56 bytes on x86-64); unsigned int msg_len; }, one message. */
    private static final int MMSGHDR_SIZE = 64;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_LEN = 56;
    /** Room for CMSG_SPACE(in6_pktinfo) + CMSG_SPACE(int) and then some. */
    private static final int CONTROL_SIZE = 128;
    /** struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; data (8-byte aligned) }. */
    private static final int CMSG_HEADER = 16;

    private final String interfaceName;
    private final int fd;
    private final boolean ipv6;
    private final int ifindex;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment destination = arena.allocate(SOCKADDR_IN6_SIZE, 8);
    private final MemorySegment source = arena.allocate(SOCKADDR_IN6_SIZE, 8);
    private final MemorySegment sourceLength = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment message = arena.allocate(MMSGHDR_SIZE, 8);
    private final MemorySegment iovec = arena.allocate(16, 8);
    private final MemorySegment control = arena.allocate(CONTROL_SIZE, 8);
    private int hopLimit;
    private long sourceHi;
    private long sourceLo;
    private long destinationHi;
    private long destinationLo;

    private VrrpLink(String interfaceName, int fd, boolean ipv6, int ifindex) {
        this.interfaceName = interfaceName;
        this.fd = fd;
        this.ipv6 = ipv6;
        this.ifindex = ifindex;
    }

    /**
     * Opens VRRP on {@code interfaceName}, its multicast adverts sent from {@code sourceAddress} (0: the kernel
     * picks the interface's primary address). With {@code unicastAddress} (unicast_src_ip) the socket is bound to
     * it: unicast adverts leave from it, and only those sent to it arrive. Without, it is left unbound, since a raw
     * socket bound to an address receives nothing addressed to the group.
     */
    public static VrrpLink open(String interfaceName, int sourceAddress, int unicastAddress) throws IOException {
        VrrpLink link = socket(interfaceName, false);
        int fd = link.fd;
        try (Arena local = Arena.ofConfined()) {
            link.setInt(IP_TTL, TTL, local);
            link.setInt(IP_MULTICAST_TTL, TTL, local);
            link.setInt(IP_MULTICAST_LOOP, 0, local);
            link.setInt(IP_TOS, IPTOS_PREC_INTERNETCONTROL, local);
            // struct ip_mreqn { struct in_addr imr_multiaddr, imr_address; int imr_ifindex; }
            MemorySegment membership = local.allocate(12, 4);
            membership.set(BE32, 0, VRRP_GROUP);
            membership.set(BE32, 4, sourceAddress);
            membership.set(ValueLayout.JAVA_INT, 8, link.ifindex);
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

    /**
     * Opens VRRP over IPv6 on {@code interfaceName}, its adverts sent from {@code sourceHi/sourceLo} (the interface's
     * link-local address, or unicast_src_ip with {@code unicast}); without {@code unicast} it joins ff02::12 there.
     */
    public static VrrpLink open6(String interfaceName, long sourceHi, long sourceLo, boolean unicast)
            throws IOException {
        VrrpLink link = socket(interfaceName, true);
        int fd = link.fd;
        int ifindex = link.ifindex;
        try (Arena local = Arena.ofConfined()) {
            link.setInt6(IPV6_UNICAST_HOPS, TTL, local);
            link.setInt6(IPV6_MULTICAST_HOPS, TTL, local);
            link.setInt6(IPV6_MULTICAST_LOOP, 0, local);
            link.setInt6(IPV6_MULTICAST_IF, ifindex, local);
            link.setInt6(IPV6_TCLASS, IPTOS_PREC_INTERNETCONTROL, local);
            link.setInt6(IPV6_RECVHOPLIMIT, 1, local);
            link.setInt6(IPV6_RECVPKTINFO, 1, local);
            link.setInt6(IPV6_FREEBIND, 1, local);
            if (!unicast) {
                // struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; int ipv6mr_interface; }
                MemorySegment membership = local.allocate(20, 4);
                membership.set(BE64, 0, VRRP_GROUP6_HI);
                membership.set(BE64, 8, VRRP_GROUP6_LO);
                membership.set(ValueLayout.JAVA_INT, 16, ifindex);
                link.check(Native.setsockopt(fd, Native.IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, membership, 20),
                        "IPV6_ADD_MEMBERSHIP ff02::12");
            }
            MemorySegment bound = local.allocate(SOCKADDR_IN6_SIZE, 8);
            link.sockaddr6(bound, sourceHi, sourceLo);
            link.check(Native.bind(fd, bound, SOCKADDR_IN6_SIZE), "bind to the source address");
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** A raw socket of protocol 112, IPv4 or IPv6, that sees only {@code interfaceName} (SO_BINDTODEVICE). */
    private static VrrpLink socket(String interfaceName, boolean ipv6) throws IOException {
        int ifindex = Native.ifNameToIndex(interfaceName);
        if (ifindex == 0) {
            throw new IOException("VRRP: no interface " + interfaceName + " in this network namespace");
        }
        int fd = (int) Native.check(Native.socket(ipv6 ? Native.AF_INET6 : Native.AF_INET, Native.SOCK_RAW
                | Native.SOCK_CLOEXEC | Native.SOCK_NONBLOCK, IPPROTO_VRRP), "socket(" + (ipv6 ? "AF_INET6" : "AF_INET")
                + ", SOCK_RAW, 112) for VRRP on " + interfaceName);
        VrrpLink link = new VrrpLink(interfaceName, fd, ipv6, ifindex);
        try (Arena local = Arena.ofConfined()) {
            MemorySegment name = local.allocateFrom(interfaceName, StandardCharsets.US_ASCII);
            link.check(Native.setsockopt(fd, Native.SOL_SOCKET, SO_BINDTODEVICE, name, (int) name.byteSize()),
                    "SO_BINDTODEVICE");
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** A sockaddr_in6 for the address, scoped to this interface when link-local (fe80::/10) or multicast. */
    private void sockaddr6(MemorySegment address, long hi, long lo) {
        address.fill((byte) 0);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) Native.AF_INET6);
        address.set(BE64, 8, hi);
        address.set(BE64, 16, lo);
        boolean scoped = (hi >>> 54) == 0x3FA || (hi >>> 56) == 0xFF;
        address.set(ValueLayout.JAVA_INT, 24, scoped ? ifindex : 0);
    }

    private void setInt(int option, int value, Arena local) throws IOException {
        setInt(Native.IPPROTO_IP, option, value, local);
    }

    private void setInt6(int option, int value, Arena local) throws IOException {
        setInt(Native.IPPROTO_IPV6, option, value, local);
    }

    private void setInt(int level, int option, int value, Arena local) throws IOException {
        MemorySegment segment = local.allocate(ValueLayout.JAVA_INT);
        segment.set(ValueLayout.JAVA_INT, 0, value);
        check(Native.setsockopt(fd, level, option, segment, 4), "setsockopt " + level + "/" + option);
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

    /** Whether this is VRRP over IPv6 ({@link #open6}). */
    public boolean ipv6() {
        return ipv6;
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

    /** Sends {@code length} bytes of VRRP message to the IPv6 address (ff02::12, or a unicast peer). */
    public void send6(MemorySegment message, int length, long addressHi, long addressLo) throws IOException {
        sockaddr6(destination, addressHi, addressLo);
        check(Native.sendto(fd, message, length, 0, destination, SOCKADDR_IN6_SIZE), "sendto");
    }

    /**
     * Reads one IPv6 VRRP message (the payload: raw IPv6 sockets strip the header) into {@code buffer} without
     * waiting: its length, or 0 when none is waiting. Its source, destination and hop limit are then
     * {@link #sourceHi()}, {@link #destinationHi()}, {@link #hopLimit()} (-1 if the kernel gave none, as keepalived's
     * rx_ttl_hl), and so on.
     */
    public int receive6(MemorySegment buffer) throws IOException {
        message.fill((byte) 0);
        iovec.set(ValueLayout.ADDRESS, 0, buffer);
        iovec.set(ValueLayout.JAVA_LONG, 8, buffer.byteSize());
        message.set(ValueLayout.ADDRESS, 0, source);
        message.set(ValueLayout.JAVA_INT, MSG_NAMELEN, SOCKADDR_IN6_SIZE);
        message.set(ValueLayout.ADDRESS, MSG_IOV, iovec);
        message.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1);
        message.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
        message.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, CONTROL_SIZE);
        int received = Native.recvmmsg(fd, message, 1, Native.MSG_DONTWAIT);
        if (received == -Native.EAGAIN || received == -Native.EINTR || received == 0) {
            return 0;
        }
        check(received, "recvmmsg");
        sourceHi = source.get(BE64, 8);
        sourceLo = source.get(BE64, 16);
        hopLimit = -1;
        destinationHi = 0;
        destinationLo = 0;
        long controlLength = Math.min(CONTROL_SIZE, message.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN));
        for (long at = 0, messages = 0; at + CMSG_HEADER <= controlLength && messages < 8; messages++) {
            long length = control.get(ValueLayout.JAVA_LONG, at);
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (length < CMSG_HEADER || at + length > controlLength) {
                break;
            }
            if (level == Native.IPPROTO_IPV6 && type == IPV6_HOPLIMIT && length >= CMSG_HEADER + 4) {
                hopLimit = control.get(ValueLayout.JAVA_INT, at + CMSG_HEADER);
            } else if (level == Native.IPPROTO_IPV6 && type == IPV6_PKTINFO && length >= CMSG_HEADER + 16) {
                destinationHi = control.get(BE64, at + CMSG_HEADER);
                destinationLo = control.get(BE64, at + CMSG_HEADER + 8);
            }
            at += (length + 7) & ~7L;
        }
        return message.get(ValueLayout.JAVA_INT, MSG_LEN);
    }

    /** The last {@link #receive6}'d message's hop limit, -1 if unknown. */
    public int hopLimit() {
        return hopLimit;
    }

    public long sourceHi() {
        return sourceHi;
    }

    public long sourceLo() {
        return sourceLo;
    }

    public long destinationHi() {
        return destinationHi;
    }

    public long destinationLo() {
        return destinationLo;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            Native.close(fd);
            arena.close();
        }
    }
}
