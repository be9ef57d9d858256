package org.jvs.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import org.jvs.service.Ipv4;
import org.jvs.service.Ipv6;

/**
 * An address as the control plane holds it: IPv4 or IPv6, as ipvsadm's {@code union nf_inet_addr} with its
 * {@code af}. IPv4 keeps the hot path's int ({@code lo}'s low 32 bits, {@code hi} 0); IPv6 the two longs of
 * {@link Ipv6}. Text is what ipvsadm prints through inet_ntop: a dotted quad, or RFC 5952 for IPv6.
 * <p>
 * The natural order (IPv4 first, as AF_INET 2 sorts before AF_INET6 10, then the address unsigned) is a true total
 * order for maps and sets; ipvsadm's listing order, which wraps, is the control plane's own ({@link #word}).
 */
public record IpAddress(Family family, long hi, long lo) implements Comparable<IpAddress> {

    /** The address family, with the AF_* number libipvs sorts services by. */
    public enum Family {
        IPV4(2, 32, "IPv4"), IPV6(10, 128, "IPv6");

        private final int af;
        private final int bits;
        private final String label;

        Family(int af, int bits, String label) {
            this.af = af;
            this.bits = bits;
            this.label = label;
        }

        /** AF_INET or AF_INET6. */
        public int af() {
            return af;
        }

        /** The address length in bits: the largest prefix length of the family. */
        public int bits() {
            return bits;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public IpAddress {
        if (family == null || family == Family.IPV4 && (hi != 0 || lo >>> 32 != 0)) {
            throw new IllegalArgumentException("not an address: " + family + " " + hi + "/" + lo);
        }
    }

    public static IpAddress ofIpv4(int address) {
        return new IpAddress(Family.IPV4, 0, address & 0xFFFFFFFFL);
    }

    public static IpAddress ofIpv6(Ipv6 address) {
        return new IpAddress(Family.IPV6, address.hi(), address.lo());
    }

    /**
     * A dotted quad, or an IPv6 address as inet_pton reads it (text with a ':'); throws IllegalArgumentException
     * naming the text.
     */
    public static IpAddress parse(String text) {
        return text.indexOf(':') >= 0 ? ofIpv6(Ipv6.parse(text)) : ofIpv4(Ipv4.parse(text));
    }

    public boolean isIpv4() {
        return family == Family.IPV4;
    }

    /** The IPv4 address as the hot path's int; an IPv6 address has none (IllegalStateException). */
    public int ipv4() {
        if (!isIpv4()) {
            throw new IllegalStateException(this + " is not an IPv4 address");
        }
        return (int) lo;
    }

    /** The IPv6 address; an IPv4 address has none (IllegalStateException). */
    public Ipv6 ipv6() {
        if (isIpv4()) {
            throw new IllegalStateException(this + " is not an IPv6 address");
        }
        return new Ipv6(hi, lo);
    }

    /**
     * The i-th 32-bit word of {@code union nf_inet_addr}, first byte most significant: an IPv4 address is word 0 and
     * zeros after it, as the kernel hands it to ipvsadm. libipvs's comparators subtract these words.
     */
    public int word(int i) {
        if (isIpv4()) {
            return i == 0 ? (int) lo : 0;
        }
        long half = i < 2 ? hi : lo;
        return (int) (i % 2 == 0 ? half >>> 32 : half);
    }

    /** The address for a socket (the health checkers connect to real servers through java.net). */
    public InetAddress inetAddress() {
        ByteBuffer bytes = ByteBuffer.allocate(isIpv4() ? 4 : 16);
        if (isIpv4()) {
            bytes.putInt((int) lo);
        } else {
            bytes.putLong(hi).putLong(lo);
        }
        try {
            return InetAddress.getByAddress(bytes.array());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** {@code address} as ipvsadm writes an endpoint: a.b.c.d:port, or [v6]:port. */
    public String withPort(int port) {
        return (isIpv4() ? toString() : "[" + this + "]") + ":" + port;
    }

    @Override
    public int compareTo(IpAddress other) {
        int r = family.compareTo(other.family);
        if (r == 0) {
            r = Long.compareUnsigned(hi, other.hi);
        }
        return r != 0 ? r : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public String toString() {
        return isIpv4() ? Ipv4.toString((int) lo) : Ipv6.toString(hi, lo);
    }
}
