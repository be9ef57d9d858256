package org.jvs.linux;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvs.packet.TcpCoalescer;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;

/**
 * Prepares a host to be a DR or TUN real server, as the LVS how-tos prescribe: the VIP on lo (so the host accepts
 * packets for it) while never answering ARP for it (arp_ignore=1, arp_announce=2, or it would steal the VIP from
 * the director), and rp_filter off because the packets arrive with the client as source on an interface the
 * route back to the client may not use.
 *
 * <p>TUN mode without the kernel's ipip driver: a raw IPPROTO_IPIP socket receives the director's IPIP packets
 * (receiving them also keeps the kernel from answering "protocol unreachable"), and the inner packet is written
 * to a TUN device, where the kernel receives it as if from the wire and delivers it to the VIP on lo. Replies take
 * the normal route straight to the client.
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

    private static final Path CONF = Path.of("/proc/sys/net/ipv4/conf");
    /** Room for the largest IPv4 datagram (a reassembled one); most slots use their first 1 500 bytes. */
    private static final int SLOT_SIZE = 65536;
    private static final int POLL_MS = 200;
    /** Datagrams per recvmmsg(): a 64 KiB TCP window of 1 480-byte segments is about 45. */
    private static final int BATCH = 64;
    /** Full batches taken per wake-up before stop() is looked at again. */
    private static final int BATCHES_PER_WAKEUP = 16;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int POLLFD_SIZE = 8;
    private static final int POLLFD_EVENTS = 4;
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private final int vip;
    private final String device;
    private final PrintStream out;
    private volatile boolean stopping;
    private volatile long decapsulated;
    private volatile long dropped;
    private volatile long superPackets;

    /** device: the interface the director's packets arrive on, or null to leave per-interface settings alone. */
    public RealServerHelper(int vip, String device, PrintStream out) {
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
        String vipText = Ipv4.toString(vip);
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
     * Decapsulates IPIP packets into TUN device tunName until {@link #stop()}; then closes the socket and the
     * device (which removes it) and returns. Counts are in {@link #decapsulated()} and {@link #dropped()}.
     */
    public void runTunnel(String tunName) throws IOException {
        int socket = (int) Native.check(Native.socket(Native.AF_INET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, Native.IPPROTO_IPIP),
                "socket(AF_INET, SOCK_RAW, IPPROTO_IPIP)");
        try (TunDevice tun = TunDevice.open(tunName); Arena arena = Arena.ofConfined()) {
            // the inner packet arrives from the client but not over the client's route: reverse-path checks must pass
            sysctl(tunName, "rp_filter", 0);
            out.println("jvs realserver: tun mode: IPIP packets for " + Ipv4.toString(vip) + " are decapsulated into "
                    + tunName + " (Ctrl-C to stop)");
            out.flush();
            MemorySegment bufferSize = arena.allocateFrom(ValueLayout.JAVA_INT, RECEIVE_BUFFER_BYTES);
            if (Native.setsockopt(socket, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, bufferSize, Integer.BYTES) < 0) {
                Native.setsockopt(socket, Native.SOL_SOCKET, Native.SO_RCVBUF, bufferSize, Integer.BYTES);
            }
            DatagramBatch batch = new DatagramBatch(arena, BATCH, SLOT_SIZE);
            MemorySegment pollFd = arena.allocate(POLLFD_SIZE, 4);
            pollFd.set(ValueLayout.JAVA_INT, 0, socket);
            pollFd.set(ValueLayout.JAVA_SHORT, POLLFD_EVENTS, (short) Native.POLLIN);
            pump(socket, batch, new TunWriter(tun), pollFd);
        } finally {
            Native.close(socket);
        }
    }

    private void pump(int socket, DatagramBatch batch, TunWriter writer, MemorySegment pollFd) {
        IpipDecapsulator decapsulator = new IpipDecapsulator();
        TcpCoalescer coalescer = new TcpCoalescer(VnetHeader.LENGTH, writer);
        while (!stopping) {
            if (Native.poll(pollFd, 1, POLL_MS) <= 0) {
                continue;
            }
            for (int round = 0; round < BATCHES_PER_WAKEUP; round++) {
                int received = batch.receive(socket);
                if (received <= 0) {
                    break;
                }
                for (int i = 0; i < received; i++) {
                    MemorySegment slot = batch.slot(i);
                    int length = batch.length(i);
                    int innerLength = length < 0 ? IpipDecapsulator.TRUNCATED : decapsulator.decapsulate(slot, length);
                    if (innerLength > 0) {
                        coalescer.add(slot, decapsulator.innerOffset(), innerLength);
                    } else {
                        writer.refused++;
                    }
                }
                // the next receive refills the slots the open batch may still point into
                coalescer.flush();
                decapsulated = writer.delivered;
                dropped = writer.refused;
                superPackets = writer.superPackets;
                if (received < BATCH) {
                    break;
                }
            }
        }
    }

    /**
     * Writes what the coalescer hands on to the TUN device, each behind its virtio_net_hdr: the outer IPIP header
     * (at least 20 bytes) leaves room for it before a packet still in its receive slot, and the coalescer keeps the
     * same room before its super-packets. Counts per segment.
     */
    private static final class TunWriter implements TcpCoalescer.Output {
        private final TunDevice tun;
        long delivered;
        long refused;
        long superPackets;

        TunWriter(TunDevice tun) {
            this.tun = tun;
        }

        @Override
        public void packet(MemorySegment buffer, long offset, int length, int segmentSize, int segments) {
            int ipHeaderLength = (buffer.get(ValueLayout.JAVA_BYTE, offset) & 0x0F) * 4;
            int tcpHeaderLength = segmentSize == 0 ? 0
                    : (buffer.get(ValueLayout.JAVA_BYTE, offset + ipHeaderLength + TCP_DATA_OFFSET) >>> 4 & 0x0F) * 4;
            VnetHeader.writeForTun(buffer, offset - VnetHeader.LENGTH, ipHeaderLength, tcpHeaderLength, segmentSize);
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
