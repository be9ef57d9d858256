package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The rtnetlink wire format (include/uapi/linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h, neighbour.h):
 * builds dump requests and decodes the kernel's answers into records. Pure byte work, so it is tested from
 * captured datagrams. Netlink headers are in host byte order; addresses inside attributes are big-endian.
 */
final class Rtnetlink {
    static final int NETLINK_ROUTE = 0;

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_GETNEIGH = 30;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    static final int RTMGRP_LINK = 0x1;
    static final int RTMGRP_IPV4_IFADDR = 0x10;
    static final int RTMGRP_IPV4_ROUTE = 0x40;
    static final int RTMGRP_IPV6_IFADDR = 0x100;
    static final int RTMGRP_IPV6_ROUTE = 0x400;

    static final int IFF_UP = 0x1;
    static final int IFF_LOOPBACK = 0x8;
    static final int IFA_F_SECONDARY = 0x1;
    static final int IFA_F_DADFAILED = 0x8;
    static final int IFA_F_DEPRECATED = 0x20;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_TABLE_MAIN = 254;
    static final int RTN_UNICAST = 1;
    static final int NUD_REACHABLE = 0x02;
    static final int NUD_STALE = 0x04;
    static final int NUD_DELAY = 0x08;
    static final int NUD_PROBE = 0x10;
    static final int NUD_PERMANENT = 0x80;

    /** {@link #decode} result bits. */
    static final int DONE = 1;
    static final int INTERRUPTED = 2;

    /* struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; }; */
    static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_TYPE = 4;
    private static final int NLMSG_FLAGS = 6;
    private static final int NLMSG_SEQ = 8;
    /* struct ifinfomsg { unsigned char ifi_family, __ifi_pad; unsigned short ifi_type; int ifi_index;
                          unsigned ifi_flags; unsigned ifi_change; }; */
    private static final int IFINFOMSG_LEN = 16;
    private static final int IFI_TYPE = 2;
    private static final int IFI_INDEX = 4;
    private static final int IFI_FLAGS = 8;
    /* struct ifaddrmsg { __u8 ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; __u32 ifa_index; }; */
    private static final int IFADDRMSG_LEN = 8;
    /* struct rtmsg { unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol,
                      rtm_scope, rtm_type; unsigned rtm_flags; }; */
    private static final int RTMSG_LEN = 12;
    /* struct ndmsg { __u8 ndm_family, ndm_pad1; __u16 ndm_pad2; __s32 ndm_ifindex; __u16 ndm_state;
                      __u8 ndm_flags, ndm_type; }; */
    private static final int NDMSG_LEN = 12;
    /* struct nlattr { __u16 nla_len; __u16 nla_type; }; */
    private static final int NLA_HDRLEN = 4;
    private static final int NLA_TYPE_MASK = 0x3FFF;

    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_FLAGS = 8;
    private static final int IFA_LABEL = 3;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RTA_PRIORITY = 6;
    private static final int RTA_PREFSRC = 7;
    private static final int RTA_METRICS = 8;
    private static final int RTA_MULTIPATH = 9;
    private static final int RTA_TABLE = 15;
    private static final int RTAX_MTU = 2;
    /* struct rtnexthop { unsigned short rtnh_len; unsigned char rtnh_flags, rtnh_hops; int rtnh_ifindex; }; */
    private static final int RTNEXTHOP_LEN = 8;
    private static final int NDA_DST = 1;
    private static final int NDA_LLADDR = 2;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    record Link(int ifindex, String name, long mac, int mtu, int flags, int hardwareType) {
        boolean up() {
            return (flags & IFF_UP) != 0;
        }

        boolean loopback() {
            return (flags & IFF_LOOPBACK) != 0;
        }
    }

    record Address(int ifindex, int address, int prefixLength, int flags) {
        boolean secondary() {
            return (flags & IFA_F_SECONDARY) != 0;
        }
    }

    /** gateway 0 = on-link; prefsrc 0 = none; mtu 0 = the interface's. */
    record Route(int table, int type, int destination, int prefixLength, int gateway, int oif, int prefsrc,
                 int metric, int mtu) {
    }

    record Neighbour(int ifindex, int address, long mac, int state) {
    }

    /** An IPv6 address (two longs, first byte most significant); scope RT_SCOPE_UNIVERSE (0) for a global one. */
    record Address6(int ifindex, long hi, long lo, int prefixLength, int flags, int scope) {
        /** Usable as a source: global, and neither a failed duplicate nor deprecated. */
        boolean globalSource() {
            return scope == RT_SCOPE_UNIVERSE && (flags & (IFA_F_DADFAILED | IFA_F_DEPRECATED)) == 0;
        }
    }

    /** An IPv6 route; gateway ::/0 = on-link; prefsrc ::/0 = none; mtu 0 = the interface's. */
    record Route6(int table, int type, long destinationHi, long destinationLo, int prefixLength, long gatewayHi,
                  long gatewayLo, int oif, long prefsrcHi, long prefsrcLo, int metric, int mtu) {
    }

    /** Receives decoded messages; kinds a caller does not care about are ignored by default. */
    interface Listener {
        default void onLink(Link link) {
        }

        default void onAddress(Address address) {
        }

        default void onRoute(Route route) {
        }

        default void onNeighbour(Neighbour neighbour) {
        }

        default void onAddress6(Address6 address) {
        }

        default void onRoute6(Route6 route) {
        }
    }

    private Rtnetlink() {
    }

    /** Writes an IPv4 dump request for {@code type} (RTM_GET*) at the buffer's start; returns its length. */
    static int encodeDumpRequest(MemorySegment buffer, int type, int sequence) {
        return encodeDumpRequest(buffer, type, sequence, Native.AF_INET);
    }

    /**
     * As {@link #encodeDumpRequest(MemorySegment, int, int)} for addresses, routes or neighbours of {@code family}
     * (AF_INET or AF_INET6); links are asked for in every family whatever it says.
     */
    static int encodeDumpRequest(MemorySegment buffer, int type, int sequence, int family) {
        int familyHeaderLength = switch (type) {
            case RTM_GETLINK -> IFINFOMSG_LEN;
            case RTM_GETADDR -> IFADDRMSG_LEN;
            case RTM_GETROUTE -> RTMSG_LEN;
            case RTM_GETNEIGH -> NDMSG_LEN;
            default -> throw new IllegalArgumentException("netlink message type " + type + " is not a dump this code knows (expected RTM_GETLINK/ADDR/ROUTE/NEIGH)");
        };
        int length = NLMSG_HDRLEN + familyHeaderLength;
        buffer.asSlice(0, length).fill((byte) 0);
        buffer.set(U32, 0, length);
        buffer.set(U16, NLMSG_TYPE, (short) type);
        buffer.set(U16, NLMSG_FLAGS, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        buffer.set(U32, NLMSG_SEQ, sequence);
        // links are asked for in every family (AF_UNSPEC); the rest for the family asked
        buffer.set(ValueLayout.JAVA_BYTE, NLMSG_HDRLEN, (byte) (type == RTM_GETLINK ? 0 : family));
        return length;
    }

    /**
     * RTM_NEWADDR (create, not replace) or RTM_DELADDR of {@code address/prefixLength} on {@code ifindex}, with
     * {@code label} (IFA_LABEL, "" for none), asking for an acknowledgement; returns the request's length. As
     * {@code ip addr add|del ADDRESS/LEN dev IF [label L]}.
     */
    static int encodeAddressRequest(MemorySegment buffer, int type, int sequence, int ifindex, int address,
                                    int prefixLength, String label) {
        byte[] labelBytes = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int labelAttribute = label.isEmpty() ? 0 : align(NLA_HDRLEN + labelBytes.length + 1);
        int length = NLMSG_HDRLEN + IFADDRMSG_LEN + 2 * align(NLA_HDRLEN + 4) + labelAttribute;
        long body = addressRequestHeader(buffer, type, sequence, length);
        // struct ifaddrmsg { __u8 ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; __u32 ifa_index; }
        buffer.set(ValueLayout.JAVA_BYTE, body, (byte) Native.AF_INET);
        buffer.set(ValueLayout.JAVA_BYTE, body + 1, (byte) prefixLength);
        buffer.set(ValueLayout.JAVA_BYTE, body + 3, (byte) RT_SCOPE_UNIVERSE);
        buffer.set(U32, body + 4, ifindex);
        long attribute = body + IFADDRMSG_LEN;
        attribute = putAddress(buffer, attribute, IFA_LOCAL, address);
        attribute = putAddress(buffer, attribute, IFA_ADDRESS, address);
        if (!label.isEmpty()) {
            buffer.set(U16, attribute, (short) (NLA_HDRLEN + labelBytes.length + 1));
            buffer.set(U16, attribute + 2, (short) IFA_LABEL);
            MemorySegment.copy(labelBytes, 0, buffer, ValueLayout.JAVA_BYTE, attribute + NLA_HDRLEN, labelBytes.length);
        }
        return length;
    }

    /** IFA_F_NODAD: no duplicate address detection, the address usable at once (keepalived adds VIPs so). */
    static final int IFA_F_NODAD = 0x02;

    /**
     * As {@link #encodeAddressRequest} for an IPv6 address (its two longs), as keepalived adds a VRRP instance's
     * IPv6 VIPs: {@code ip -6 addr add ADDRESS/LEN dev IF nodad} (ifa_flags {@link #IFA_F_NODAD} on RTM_NEWADDR; the
     * kernel derives the scope from the address). IPv6 addresses have no labels.
     */
    static int encodeAddressRequest6(MemorySegment buffer, int type, int sequence, int ifindex, long hi, long lo,
                                     int prefixLength) {
        int attributeLength = align(NLA_HDRLEN + 16);
        int length = NLMSG_HDRLEN + IFADDRMSG_LEN + 2 * attributeLength;
        long body = addressRequestHeader(buffer, type, sequence, length);
        buffer.set(ValueLayout.JAVA_BYTE, body, (byte) Native.AF_INET6);
        buffer.set(ValueLayout.JAVA_BYTE, body + 1, (byte) prefixLength);
        buffer.set(ValueLayout.JAVA_BYTE, body + 2, (byte) (type == RTM_NEWADDR ? IFA_F_NODAD : 0));
        buffer.set(U32, body + 4, ifindex);
        long attribute = body + IFADDRMSG_LEN;
        for (int attributeType : new int[] {IFA_LOCAL, IFA_ADDRESS}) {
            buffer.set(U16, attribute, (short) (NLA_HDRLEN + 16));
            buffer.set(U16, attribute + 2, (short) attributeType);
            buffer.set(BE64, attribute + NLA_HDRLEN, hi);
            buffer.set(BE64, attribute + NLA_HDRLEN + 8, lo);
            attribute += attributeLength;
        }
        return length;
    }

    /** Zeroes the request's {@code length} bytes and writes its netlink header; returns where the ifaddrmsg goes. */
    private static long addressRequestHeader(MemorySegment buffer, int type, int sequence, int length) {
        buffer.asSlice(0, length).fill((byte) 0);
        buffer.set(U32, 0, length);
        buffer.set(U16, NLMSG_TYPE, (short) type);
        int flags = NLM_F_REQUEST | NLM_F_ACK | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
        buffer.set(U16, NLMSG_FLAGS, (short) flags);
        buffer.set(U32, NLMSG_SEQ, sequence);
        return NLMSG_HDRLEN;
    }

    private static long putAddress(MemorySegment buffer, long attribute, int type, int address) {
        buffer.set(U16, attribute, (short) (NLA_HDRLEN + 4));
        buffer.set(U16, attribute + 2, (short) type);
        buffer.set(BE32, attribute + NLA_HDRLEN, address);
        return attribute + align(NLA_HDRLEN + 4);
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    /**
     * Decodes every message of one received datagram. Returns {@link #DONE} once NLMSG_DONE (or an ACK) is seen,
     * plus {@link #INTERRUPTED} when the kernel flagged the dump as inconsistent (it changed meanwhile).
     */
    static int decode(MemorySegment buffer, int length, Listener listener) throws IOException {
        int result = 0;
        long offset = 0;
        while (offset + NLMSG_HDRLEN <= length) {
            int messageLength = buffer.get(U32, offset);
            if (messageLength < NLMSG_HDRLEN || offset + messageLength > length) {
                throw new IOException("rtnetlink: message of " + messageLength + " bytes at offset " + offset + " overruns the " + length + "-byte datagram");
            }
            int type = buffer.get(U16, offset + NLMSG_TYPE) & 0xFFFF;
            if ((buffer.get(U16, offset + NLMSG_FLAGS) & NLM_F_DUMP_INTR) != 0) {
                result |= INTERRUPTED;
            }
            long body = offset + NLMSG_HDRLEN;
            long end = offset + messageLength;
            switch (type) {
                case NLMSG_DONE -> result |= DONE;
                case NLMSG_ERROR -> {
                    int error = -buffer.get(U32, body);
                    if (error != 0) {
                        throw new IOException("rtnetlink request failed: " + Native.strerror(error) + " (errno " + error + ")");
                    }
                    result |= DONE;
                }
                case RTM_NEWLINK -> listener.onLink(link(buffer, body, end));
                case RTM_NEWADDR -> {
                    if (buffer.get(ValueLayout.JAVA_BYTE, body) == Native.AF_INET6) {
                        listener.onAddress6(address6(buffer, body, end));
                        break;
                    }
                    Address address = address(buffer, body, end);
                    if (address != null) {
                        listener.onAddress(address);
                    }
                }
                case RTM_NEWROUTE -> {
                    if (buffer.get(ValueLayout.JAVA_BYTE, body) == Native.AF_INET6) {
                        listener.onRoute6(route6(buffer, body, end));
                        break;
                    }
                    Route route = route(buffer, body, end);
                    if (route != null) {
                        listener.onRoute(route);
                    }
                }
                case RTM_NEWNEIGH -> {
                    Neighbour neighbour = neighbour(buffer, body, end);
                    if (neighbour != null) {
                        listener.onNeighbour(neighbour);
                    }
                }
                default -> {
                    // other notifications (deletions included) carry nothing a dump needs
                }
            }
            offset += align(messageLength);
        }
        return result;
    }

    private static Link link(MemorySegment buffer, long body, long end) {
        int hardwareType = buffer.get(U16, body + IFI_TYPE) & 0xFFFF;
        int ifindex = buffer.get(U32, body + IFI_INDEX);
        int flags = buffer.get(U32, body + IFI_FLAGS);
        String name = "";
        long mac = 0;
        int mtu = 0;
        for (long attribute = body + IFINFOMSG_LEN; attribute + NLA_HDRLEN <= end; attribute = next(buffer, attribute)) {
            int payloadLength = payloadLength(buffer, attribute);
            long payload = attribute + NLA_HDRLEN;
            switch (attributeType(buffer, attribute)) {
                case IFLA_IFNAME -> name = string(buffer, payload, payloadLength);
                case IFLA_ADDRESS -> mac = payloadLength == 6 ? mac(buffer, payload) : 0;
                case IFLA_MTU -> mtu = buffer.get(U32, payload);
                default -> {
                }
            }
        }
        return new Link(ifindex, name, mac, mtu, flags, hardwareType);
    }

    private static Address address(MemorySegment buffer, long body, long end) {
        if (buffer.get(ValueLayout.JAVA_BYTE, body) != Native.AF_INET) {
            return null;
        }
        int prefixLength = buffer.get(ValueLayout.JAVA_BYTE, body + 1) & 0xFF;
        int flags = buffer.get(ValueLayout.JAVA_BYTE, body + 2) & 0xFF;
        int ifindex = buffer.get(U32, body + 4);
        int local = 0;
        int address = 0;
        boolean hasLocal = false;
        for (long attribute = body + IFADDRMSG_LEN; attribute + NLA_HDRLEN <= end; attribute = next(buffer, attribute)) {
            long payload = attribute + NLA_HDRLEN;
            switch (attributeType(buffer, attribute)) {
                // on point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is always our own
                case IFA_LOCAL -> {
                    local = buffer.get(BE32, payload);
                    hasLocal = true;
                }
                case IFA_ADDRESS -> address = buffer.get(BE32, payload);
                case IFA_FLAGS -> flags = buffer.get(U32, payload);
                default -> {
                }
            }
        }
        return new Address(ifindex, hasLocal ? local : address, prefixLength, flags);
    }

    private static Route route(MemorySegment buffer, long body, long end) {
        if (buffer.get(ValueLayout.JAVA_BYTE, body) != Native.AF_INET) {
            return null;
        }
        RouteAttributes route = RouteAttributes.decode(buffer, body, end, Integer.BYTES);
        return new Route(route.table, route.type, (int) route.destinationLo, route.prefixLength, (int) route.gatewayLo,
                route.oif, (int) route.prefsrcLo, route.metric, route.mtu);
    }

    private static Address6 address6(MemorySegment buffer, long body, long end) {
        int prefixLength = buffer.get(ValueLayout.JAVA_BYTE, body + 1) & 0xFF;
        int flags = buffer.get(ValueLayout.JAVA_BYTE, body + 2) & 0xFF;
        int scope = buffer.get(ValueLayout.JAVA_BYTE, body + 3) & 0xFF;
        int ifindex = buffer.get(U32, body + 4);
        long hi = 0;
        long lo = 0;
        long localHi = 0;
        long localLo = 0;
        boolean hasLocal = false;
        for (long attribute = body + IFADDRMSG_LEN; attribute + NLA_HDRLEN <= end; attribute = next(buffer, attribute)) {
            long payload = attribute + NLA_HDRLEN;
            switch (attributeType(buffer, attribute)) {
                // IPv6 reports IFA_ADDRESS alone, except on point-to-point links where IFA_LOCAL is our own
                case IFA_LOCAL -> {
                    localHi = buffer.get(BE64, payload);
                    localLo = buffer.get(BE64, payload + 8);
                    hasLocal = true;
                }
                case IFA_ADDRESS -> {
                    hi = buffer.get(BE64, payload);
                    lo = buffer.get(BE64, payload + 8);
                }
                case IFA_FLAGS -> flags = buffer.get(U32, payload);
                default -> {
                }
            }
        }
        if (hasLocal) {
            hi = localHi;
            lo = localLo;
        }
        return new Address6(ifindex, hi, lo, prefixLength, flags, scope);
    }

    private static Route6 route6(MemorySegment buffer, long body, long end) {
        RouteAttributes route = RouteAttributes.decode(buffer, body, end, 16);
        return new Route6(route.table, route.type, route.destinationHi, route.destinationLo, route.prefixLength,
                route.gatewayHi, route.gatewayLo, route.oif, route.prefsrcHi, route.prefsrcLo, route.metric, route.mtu);
    }

    /**
     * One RTM_NEWROUTE's fields, either family: an address of {@code addressBytes} (4 or 16) read as hi and lo, an
     * IPv4 one in lo's low 32 bits. Decoding is a control-path task; a new instance per route is fine.
     */
    private static final class RouteAttributes {
        int prefixLength;
        int table;
        int type;
        long destinationHi;
        long destinationLo;
        long gatewayHi;
        long gatewayLo;
        long prefsrcHi;
        long prefsrcLo;
        int oif;
        int metric;
        int mtu;

        static RouteAttributes decode(MemorySegment buffer, long body, long end, int addressBytes) {
            RouteAttributes route = new RouteAttributes();
            route.prefixLength = buffer.get(ValueLayout.JAVA_BYTE, body + 1) & 0xFF;
            route.table = buffer.get(ValueLayout.JAVA_BYTE, body + 4) & 0xFF;
            route.type = buffer.get(ValueLayout.JAVA_BYTE, body + 7) & 0xFF;
            for (long attribute = body + RTMSG_LEN; attribute + NLA_HDRLEN <= end; attribute = next(buffer, attribute)) {
                long payload = attribute + NLA_HDRLEN;
                int payloadLength = payloadLength(buffer, attribute);
                switch (attributeType(buffer, attribute)) {
                    case RTA_DST -> {
                        route.destinationHi = hi(buffer, payload, addressBytes);
                        route.destinationLo = lo(buffer, payload, addressBytes);
                    }
                    case RTA_GATEWAY -> route.gateway(buffer, payload, addressBytes);
                    case RTA_PREFSRC -> {
                        route.prefsrcHi = hi(buffer, payload, addressBytes);
                        route.prefsrcLo = lo(buffer, payload, addressBytes);
                    }
                    case RTA_OIF -> route.oif = buffer.get(U32, payload);
                    case RTA_PRIORITY -> route.metric = buffer.get(U32, payload);
                    case RTA_TABLE -> route.table = buffer.get(U32, payload);
                    case RTA_METRICS -> route.mtu = nestedU32(buffer, payload, payload + payloadLength, RTAX_MTU);
                    case RTA_MULTIPATH -> {
                        // ECMP: the director follows the first next hop (the kernel's own choice is per flow)
                        if (route.oif == 0 && payloadLength >= RTNEXTHOP_LEN) {
                            route.oif = buffer.get(U32, payload + 4);
                            int hopLength = buffer.get(U16, payload) & 0xFFFF;
                            long hopEnd = payload + Math.min(hopLength, payloadLength);
                            for (long nested = payload + RTNEXTHOP_LEN; nested + NLA_HDRLEN <= hopEnd;
                                 nested = next(buffer, nested)) {
                                if (attributeType(buffer, nested) == RTA_GATEWAY) {
                                    route.gateway(buffer, nested + NLA_HDRLEN, addressBytes);
                                }
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            return route;
        }

        private void gateway(MemorySegment buffer, long payload, int addressBytes) {
            gatewayHi = hi(buffer, payload, addressBytes);
            gatewayLo = lo(buffer, payload, addressBytes);
        }

        private static long hi(MemorySegment buffer, long payload, int addressBytes) {
            return addressBytes == Integer.BYTES ? 0 : buffer.get(BE64, payload);
        }

        private static long lo(MemorySegment buffer, long payload, int addressBytes) {
            return addressBytes == Integer.BYTES ? buffer.get(BE32, payload) & 0xFFFF_FFFFL : buffer.get(BE64, payload + 8);
        }
    }

    private static Neighbour neighbour(MemorySegment buffer, long body, long end) {
        if (buffer.get(ValueLayout.JAVA_BYTE, body) != Native.AF_INET) {
            return null;
        }
        int ifindex = buffer.get(U32, body + 4);
        int state = buffer.get(U16, body + 8) & 0xFFFF;
        int address = 0;
        long mac = 0;
        for (long attribute = body + NDMSG_LEN; attribute + NLA_HDRLEN <= end; attribute = next(buffer, attribute)) {
            long payload = attribute + NLA_HDRLEN;
            switch (attributeType(buffer, attribute)) {
                case NDA_DST -> address = buffer.get(BE32, payload);
                case NDA_LLADDR -> mac = payloadLength(buffer, attribute) == 6 ? mac(buffer, payload) : 0;
                default -> {
                }
            }
        }
        return new Neighbour(ifindex, address, mac, state);
    }

    private static int nestedU32(MemorySegment buffer, long start, long end, int wanted) {
        for (long attribute = start; attribute + NLA_HDRLEN <= end; attribute = next(buffer, attribute)) {
            if (attributeType(buffer, attribute) == wanted) {
                return buffer.get(U32, attribute + NLA_HDRLEN);
            }
        }
        return 0;
    }

    private static int attributeType(MemorySegment buffer, long attribute) {
        return buffer.get(U16, attribute + 2) & NLA_TYPE_MASK;
    }

    private static int payloadLength(MemorySegment buffer, long attribute) {
        return (buffer.get(U16, attribute) & 0xFFFF) - NLA_HDRLEN;
    }

    /** The next attribute; a malformed length below the header ends the walk instead of looping forever. */
    private static long next(MemorySegment buffer, long attribute) {
        int length = buffer.get(U16, attribute) & 0xFFFF;
        return length < NLA_HDRLEN ? Long.MAX_VALUE / 2 : attribute + align(length);
    }

    private static long align(long length) {
        return (length + 3) & ~3L;
    }

    private static long mac(MemorySegment buffer, long payload) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (buffer.get(ValueLayout.JAVA_BYTE, payload + i) & 0xFF);
        }
        return mac;
    }

    private static String string(MemorySegment buffer, long payload, int length) {
        int end = 0;
        while (end < length && buffer.get(ValueLayout.JAVA_BYTE, payload + end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, payload, bytes, 0, end);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
