package org.jvs.linux;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.jvs.api.IpAddress;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.PartialChecksum;
import org.jvs.packet.TcpCoalescer;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.TunnelType;

/**
 * Prepares a host to be a DR or TUN real server, as the LVS how-tos prescribe: the VIP on lo (so the host accepts
 * packets for it) while never answering ARP for it (arp_ignore=1, arp_announce=2, or it would steal the VIP from
 * the director), and rp_filter off because the packets arrive with the client as source on an interface the
 * route back to the client may not use. An IPv6 VIP needs none of those sysctls: Linux answers Neighbour Discovery
 * only for addresses of the interface asked on, never for lo's.
 *
 * <p>TUN mode without the kernel's tunnel drivers (ipip, gre, fou): a raw IPPROTO_IPIP or IPPROTO_GRE socket
 * receives the director's IPIP or GRE packets (receiving them also keeps the kernel from answering "protocol
 * unreachable"), a UDP socket bound to the tunnel port its GUE datagrams; each is checked and decapsulated
 * ({@link TunnelDecapsulator}; malformed ones are dropped and counted by reason), and the inner packet is written
 * to a TUN device, where the kernel receives it as if from the wire and delivers it to the VIP on lo. Replies take
 * the normal route straight to the client. An IPv6 VIP's packets come as IPv6 in IPv6 or IPv6 in IPv4 (protocol
 * 41, {@link Ipv6InIpDecapsulator}), from two raw sockets the one loop polls.
 *
 * <p>Fast enough for uploads of several Gbit/s because the kernel's per-packet work is cut twice: recvmmsg()
 * takes up to 64 datagrams per syscall, and consecutive segments of a TCP flow are joined into one super-packet
 * ({@link TcpCoalescer}) written once, with a virtio_net_hdr that leaves segmentation and the checksum to the
 * kernel, so TCP receives one packet where the wire carried forty. Anything else passes through unchanged. The
 * loop allocates nothing per packet: packets are written where they lie in the receive slots (the outer header's
 * room takes the virtio_net_hdr), and only joined segments are copied, once.
 */
public final class RealServerHelper {
    /** A deep IPIP receive queue rides out bursts while the one decapsulating thread writes to the TUN device. */
    private static final int RECEIVE_BUFFER_BYTES = 8 << 20;
    public static final String DEFAULT_TUN_NAME = "jvsipip0";
    private static final int SOCKADDR_IN_SIZE = 16;

    private static final Path CONF = Path.of("/proc/sys/net/ipv4/conf");
    /** Room for the largest IPv4 datagram (a reassembled one); most slots use their first 1 500 bytes. */
    private static final int SLOT_SIZE = 65536;
    private static final int POLL_MS = 200;
    /** Datagrams per recvmmsg(): a 64 KiB TCP window of 1 480-byte segments is about 45. */
    private static final int BATCH = 64;
    /** Full batches taken per wake-up before stop() is looked at again. */
    private static final int BATCHES_PER_WAKEUP = 16;
    private static final int TCP_DATA_OFFSET = 12;
    /**
     * The TUN device's MTU (the kernel's default for it): a TCP packet that arrives longer, with a partial checksum
     * (a super-packet the director's kernel forwarded whole), is described to it as segments of this size.
     */
    private static final int TUN_MTU = 1500;
    private static final int POLLFD_SIZE = 8;
    private static final int POLLFD_EVENTS = 4;
    private static final int POLLFD_REVENTS = 6;
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private final IpAddress vip;
    private final String device;
    private final PrintStream out;
    private volatile boolean stopping;
    private volatile long decapsulated;
    private volatile long dropped;
    private volatile long superPackets;
    private volatile long partialChecksums;
    /** Packets refused by each decapsulator reason, at index -reason; written by the decapsulating thread. */
    private final long[] refusedByReason = new long[TunnelDecapsulator.REASONS];

    /** device: the interface the director's packets arrive on, or null to leave per-interface settings alone. */
    public RealServerHelper(int vip, String device, PrintStream out) {
        this(IpAddress.ofIpv4(vip), device, out);
    }

    /** As {@link #RealServerHelper(int, String, PrintStream)} for an IPv4 or IPv6 VIP. */
    public RealServerHelper(IpAddress vip, String device, PrintStream out) {
        this.vip = vip;
        this.device = device;
        this.out = out;
    }

    /** Puts the VIP on lo and sets the ARP and reverse-path sysctls a real server of this method needs. */
    public void configure(ForwardingMethod method) throws IOException {
        if (method == ForwardingMethod.MASQ) {
            throw new IllegalArgumentException("a NAT real server needs no helper (expected dr or tun)");
        }
        if (device != null && Native.ifNameToIndex(device) == 0) {
            throw new IllegalArgumentException("'" + device + "' is not an interface in this network namespace");
        }
        ip("link", "set", "lo", "up");
        if (!vip.isIpv4()) {
            configureIpv6();
            return;
        }
        String vipText = vip.toString();
        if (ip("-4", "-o", "addr", "show", "dev", "lo").contains(" inet " + vipText + "/")) {
            out.println("jvs realserver: " + vipText + " already on lo");
        } else {
            ip("-4", "addr", "add", vipText + "/32", "dev", "lo");
            out.println("jvs realserver: added " + vipText + "/32 on lo");
        }
        for (String iface : new String[] {"all", "lo"}) {
            sysctl(iface, "arp_ignore", 1);
            sysctl(iface, "arp_announce", 2);
        }
        sysctl("all", "rp_filter", 0);
        sysctl("default", "rp_filter", 0);
        if (device != null) {
            sysctl(device, "rp_filter", 0);
        }
    }

    /**
     * An IPv6 VIP on lo, and nothing else: IPv6 has no arp_ignore and needs none, since Linux answers a Neighbour
     * Solicitation only for an address of the interface it arrived on (ndisc_recv_ns looks the target up strictly on
     * that device), so a VIP on lo is never advertised on the shared segment, while packets to it are accepted on
     * any interface. There is no IPv6 rp_filter either.
     */
    private void configureIpv6() throws IOException {
        String vipText = vip.toString();
        if (ip("-6", "-o", "addr", "show", "dev", "lo").contains(" inet6 " + vipText + "/")) {
            out.println("jvs realserver: " + vipText + " already on lo");
        } else {
            // nodad: lo answers no one, so duplicate address detection would only hold the VIP back a second
            ip("-6", "addr", "add", vipText + "/128", "dev", "lo", "nodad");
            out.println("jvs realserver: added " + vipText + "/128 on lo (Linux answers no Neighbour Discovery for lo's addresses)");
        }
    }

    /** The name of the TUN device the inner packets of a tunnel of {@code type} are written to. */
    public static String tunName(TunnelType type) {
        return type == TunnelType.IPIP ? DEFAULT_TUN_NAME : "jvs" + type.ipvsadmName() + "0";
    }

    /**
     * Decapsulates packets of tunnel {@code type} (GUE: to UDP port {@code port}) into TUN device tunName until
     * {@link #stop()}; then closes the socket and the device (which removes it) and returns. Counts are in
     * {@link #decapsulated()}, {@link #dropped()} and {@link #droppedByReason()}.
     */
    public void runTunnel(String tunName, TunnelType type, int port) throws IOException {
        if (!vip.isIpv4() && type != TunnelType.IPIP) {
            throw new IllegalArgumentException("an IPv6 VIP is decapsulated from IPv6 in IPv6 or IPv4 (--tun-type ipip), not "
                    + type.ipvsadmName());
        }
        List<Integer> sockets = new ArrayList<>();
        try (TunDevice tun = TunDevice.open(tunName); Arena arena = Arena.ofConfined()) {
            Source[] sources = vip.isIpv4() ? new Source[] {source(arena, type, port, sockets)}
                    : new Source[] {ipv6Source(arena, Native.AF_INET6, sockets), ipv6Source(arena, Native.AF_INET, sockets)};
            if (vip.isIpv4()) {
                // the inner packet arrives from the client but not over the client's route: reverse-path checks must pass
                sysctl(tunName, "rp_filter", 0);
            }
            String what = !vip.isIpv4() ? "IPv6-in-IPv6 and IPv6-in-IPv4 packets"
                    : type == TunnelType.GUE ? "GUE packets to UDP port " + port
                    : type.ipvsadmName().toUpperCase(Locale.ROOT) + " packets";
            out.println("jvs realserver: tun mode: " + what + " for " + vip + " are decapsulated into "
                    + tunName + " (Ctrl-C to stop)");
            out.flush();
            MemorySegment pollFds = arena.allocate((long) POLLFD_SIZE * sources.length, 4);
            for (int i = 0; i < sources.length; i++) {
                pollFds.set(ValueLayout.JAVA_INT, (long) i * POLLFD_SIZE, sources[i].socket());
                pollFds.set(ValueLayout.JAVA_SHORT, (long) i * POLLFD_SIZE + POLLFD_EVENTS, (short) Native.POLLIN);
            }
            pump(sources, new TunWriter(tun), pollFds);
        } finally {
            for (int socket : sockets) {
                Native.close(socket);
            }
        }
    }

    /** One tunnel socket, its receive slots and the decapsulator of what it receives. */
    private record Source(int socket, DatagramBatch batch, TunnelDecapsulator decapsulator) {
    }

    private Source source(Arena arena, TunnelType type, int port, List<Integer> sockets) throws IOException {
        int socket = openTunnelSocket(type, port);
        sockets.add(socket);
        deepenReceiveQueue(arena, socket);
        // a raw socket's packets start with the outer IP header, room enough for the virtio_net_hdr; GUE's
        // datagrams start with the 4-byte GUE header, so they are received that far into their slots
        int headroom = type == TunnelType.GUE ? VnetHeader.LENGTH : 0;
        TunnelDecapsulator decapsulator = switch (type) {
            case IPIP -> new IpipDecapsulator();
            case GRE -> new GreDecapsulator();
            case GUE -> new GueDecapsulator(headroom);
        };
        return new Source(socket, new DatagramBatch(arena, BATCH, SLOT_SIZE, headroom), decapsulator);
    }

    /**
     * A raw socket of protocol 41 of the outer family: the kernel, with no sit or ip6_tunnel driver, hands such
     * packets to raw sockets (and, as for IPIP, answers no "protocol unreachable" once one took them). An IPv6 raw
     * socket delivers the payload alone, so its datagrams land VnetHeader.LENGTH into their slots.
     */
    private Source ipv6Source(Arena arena, int family, List<Integer> sockets) throws IOException {
        int socket = (int) Native.check(Native.socket(family, Native.SOCK_RAW | Native.SOCK_CLOEXEC, Native.IPPROTO_IPV6),
                "socket(" + (family == Native.AF_INET6 ? "AF_INET6" : "AF_INET") + ", SOCK_RAW, IPPROTO_IPV6)");
        sockets.add(socket);
        deepenReceiveQueue(arena, socket);
        boolean outerIpv6 = family == Native.AF_INET6;
        int headroom = outerIpv6 ? VnetHeader.LENGTH : 0;
        TunnelDecapsulator decapsulator = outerIpv6 ? Ipv6InIpDecapsulator.inIpv6(headroom) : Ipv6InIpDecapsulator.inIpv4();
        return new Source(socket, new DatagramBatch(arena, BATCH, SLOT_SIZE, headroom), decapsulator);
    }

    private static void deepenReceiveQueue(Arena arena, int socket) {
        MemorySegment bufferSize = arena.allocateFrom(ValueLayout.JAVA_INT, RECEIVE_BUFFER_BYTES);
        if (Native.setsockopt(socket, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, bufferSize, Integer.BYTES) < 0) {
            Native.setsockopt(socket, Native.SOL_SOCKET, Native.SO_RCVBUF, bufferSize, Integer.BYTES);
        }
    }

    /** A raw socket of the tunnel's IP protocol, or for GUE a UDP socket bound to the tunnel port on any address. */
    private static int openTunnelSocket(TunnelType type, int port) throws IOException {
        if (type != TunnelType.GUE) {
            int protocol = type == TunnelType.GRE ? Native.IPPROTO_GRE : Native.IPPROTO_IPIP;
            return (int) Native.check(Native.socket(Native.AF_INET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol),
                    "socket(AF_INET, SOCK_RAW, " + type.ipvsadmName() + ")");
        }
        int socket = (int) Native.check(Native.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0),
                "socket(AF_INET, SOCK_DGRAM, 0)");
        try (Arena arena = Arena.ofConfined()) {
            // struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; char zero[8]; }
            MemorySegment address = arena.allocate(SOCKADDR_IN_SIZE, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Native.AF_INET);
            address.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
            int result = Native.bind(socket, address, SOCKADDR_IN_SIZE);
            if (result < 0) {
                Native.close(socket);
                throw new IOException("bind(UDP port " + port + ") for GUE failed: errno " + -result);
            }
        }
        return socket;
    }

    private void pump(Source[] sources, TunWriter writer, MemorySegment pollFds) {
        TcpCoalescer coalescer = new TcpCoalescer(VnetHeader.LENGTH, writer);
        while (!stopping) {
            if (Native.poll(pollFds, sources.length, POLL_MS) <= 0) {
                continue;
            }
            for (int s = 0; s < sources.length; s++) {
                if ((pollFds.get(ValueLayout.JAVA_SHORT, (long) s * POLLFD_SIZE + POLLFD_REVENTS) & Native.POLLIN) != 0) {
                    drain(sources[s], coalescer, writer);
                }
            }
        }
    }

    private void drain(Source source, TcpCoalescer coalescer, TunWriter writer) {
        DatagramBatch batch = source.batch();
        TunnelDecapsulator decapsulator = source.decapsulator();
        for (int round = 0; round < BATCHES_PER_WAKEUP; round++) {
            int received = batch.receive(source.socket());
            if (received <= 0) {
                break;
            }
            for (int i = 0; i < received; i++) {
                MemorySegment slot = batch.slot(i);
                int length = batch.length(i);
                int innerLength = length < 0 ? TunnelDecapsulator.TRUNCATED : decapsulator.decapsulate(slot, length);
                if (innerLength > 0) {
                    coalescer.add(slot, decapsulator.innerOffset(), innerLength);
                } else {
                    writer.refused++;
                    refusedByReason[-innerLength]++;
                }
            }
            // the next receive refills the slots the open batch may still point into
            coalescer.flush();
            decapsulated = writer.delivered;
            dropped = writer.refused;
            superPackets = writer.superPackets;
            partialChecksums = writer.partialChecksums;
            if (received < BATCH) {
                break;
            }
        }
    }

    /**
     * Writes what the coalescer hands on to the TUN device, each behind its virtio_net_hdr: the outer IPIP header
     * (at least 20 bytes) leaves room for it before a packet still in its receive slot, and the coalescer keeps the
     * same room before its super-packets. A packet whose checksum its sender left partial ({@link PartialChecksum}:
     * a director's kernel forwarded it from a veth peer, whose skb said so) is written with NEEDS_CSUM, as a TCP
     * super-packet of segments that fit {@link #TUN_MTU} when longer than that, or the kernel would find its checksum
     * wrong. Counts per segment.
     */
    private static final class TunWriter implements TcpCoalescer.Output {
        private final TunDevice tun;
        long delivered;
        long refused;
        long superPackets;
        long partialChecksums;

        TunWriter(TunDevice tun) {
            this.tun = tun;
        }

        @Override
        public void packet(MemorySegment buffer, long offset, int length, int segmentSize, int segments) {
            // a super-packet's IP header has no options (IPv4) or extension headers (IPv6): the coalescer's rule
            int version = buffer.get(ValueLayout.JAVA_BYTE, offset) >>> 4 & 0x0F;
            int ipHeaderLength = version == 6 ? Ipv6Header.LENGTH : (buffer.get(ValueLayout.JAVA_BYTE, offset) & 0x0F) * 4;
            long header = offset - VnetHeader.LENGTH;
            int field = segmentSize == 0 ? PartialChecksum.field(buffer, offset, length) : PartialChecksum.NONE;
            if (field == PartialChecksum.NONE) {
                VnetHeader.writeForTun(buffer, header, ipHeaderLength,
                        segmentSize == 0 ? 0 : tcpHeaderLength(buffer, offset, ipHeaderLength), segmentSize);
            } else if (field - ipHeaderLength == TcpHeader.CHECKSUM_OFFSET && length > TUN_MTU) {
                partialChecksums++;
                int tcpHeaderLength = tcpHeaderLength(buffer, offset, ipHeaderLength);
                segmentSize = TUN_MTU - ipHeaderLength - tcpHeaderLength;
                VnetHeader.writeForTun(buffer, header, ipHeaderLength, tcpHeaderLength, segmentSize);
            } else {
                partialChecksums++;
                VnetHeader.writeChecksumForTun(buffer, header, ipHeaderLength, field);
            }
            if (tun.write(buffer, offset, length) == length) {
                delivered += segments;
                if (segmentSize != 0) {
                    superPackets++;
                }
            } else {
                refused += segments;
            }
        }
    }

    private static int tcpHeaderLength(MemorySegment buffer, long ipOffset, int ipHeaderLength) {
        return (buffer.get(ValueLayout.JAVA_BYTE, ipOffset + ipHeaderLength + TCP_DATA_OFFSET) >>> 4 & 0x0F) * 4;
    }

    /** Makes {@link #runTunnel} return within about 200 ms; safe from any thread (a shutdown hook, say). */
    public void stop() {
        stopping = true;
    }

    public long decapsulated() {
        return decapsulated;
    }

    public long dropped() {
        return dropped;
    }

    /**
     * The malformed packets among {@link #dropped()}, by reason ("bad_checksum 3, truncated 1"), or "" when none;
     * read it once {@link #runTunnel} has returned.
     */
    public String droppedByReason() {
        StringBuilder reasons = new StringBuilder();
        for (int i = 1; i < refusedByReason.length; i++) {
            if (refusedByReason[i] != 0) {
                reasons.append(reasons.isEmpty() ? "" : ", ").append(TunnelDecapsulator.reasonName(-i)).append(' ')
                        .append(refusedByReason[i]);
            }
        }
        return reasons.toString();
    }

    /** Packets written with their checksum left partial, as their sender left it ({@link PartialChecksum}). */
    public long partialChecksums() {
        return partialChecksums;
    }

    /** TCP super-packets written, each several received segments joined (the segments count in decapsulated). */
    public long superPackets() {
        return superPackets;
    }

    private void sysctl(String iface, String name, int value) throws IOException {
        Path path = CONF.resolve(iface).resolve(name);
        try {
            Files.writeString(path, value + "\n", StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot set net.ipv4.conf." + iface + "." + name + ": " + path + " does not exist", e);
        }
        out.println("jvs realserver: net.ipv4.conf." + iface + "." + name + " = " + value);
    }

    /** Runs ip(8) in this thread's network namespace; returns its output or throws with its error line. */
    private static String ip(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }
}
