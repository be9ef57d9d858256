package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A layer-3 TUN device (IFF_TUN, no packet-info prefix) with a virtio_net_hdr before every packet (IFF_VNET_HDR):
 * each write is one IP packet that the kernel receives as if it had arrived on this interface, and the header
 * lets that packet be a TCP super-packet with its checksum left partial, received as GRO would have made it. The
 * device is created in the network namespace of the opening thread, is brought up at once, and disappears when
 * {@link #close()} closes its fd.
 */
public final class TunDevice implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final short IFF_UP = 0x1;
    /** struct ifreq: the name, then a union whose first member here is short ifr_flags. */
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS = 16;
    private static final int IFNAMSIZ = 16;

    private final String name;
    private int fd;

    private TunDevice(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Creates and brings up TUN device {@code name} (at most 15 characters). */
    public static TunDevice open(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (name.isEmpty() || nameBytes.length >= IFNAMSIZ || name.contains("/") || name.contains(" ")) {
            throw new IllegalArgumentException("'" + name + "' is not an interface name (expected 1-15 characters, no '/' or space)");
        }
        int fd = (int) Native.check(Native.open("/dev/net/tun", Native.O_RDWR | Native.O_CLOEXEC), "open(/dev/net/tun)");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(IFREQ_SIZE);
            MemorySegment.copy(nameBytes, 0, request, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            request.set(ValueLayout.JAVA_SHORT, IFREQ_FLAGS, (short) (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR));
            Native.check(Native.ioctl(fd, TUNSETIFF, request), "ioctl(TUNSETIFF " + name + ")");
            bringUp(arena, request);
            return new TunDevice(name, fd);
        } catch (IOException | RuntimeException e) {
            Native.close(fd);
            throw e;
        }
    }

    /** Interface flags are set through any socket; the request already holds the device's name. */
    private static void bringUp(Arena arena, MemorySegment request) throws IOException {
        int socket = (int) Native.check(Native.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0), "socket(AF_INET)");
        try {
            MemorySegment flagsRequest = arena.allocate(IFREQ_SIZE);
            MemorySegment.copy(request, 0, flagsRequest, 0, IFNAMSIZ);
            Native.check(Native.ioctl(socket, SIOCGIFFLAGS, flagsRequest), "ioctl(SIOCGIFFLAGS)");
            short flags = flagsRequest.get(ValueLayout.JAVA_SHORT, IFREQ_FLAGS);
            flagsRequest.set(ValueLayout.JAVA_SHORT, IFREQ_FLAGS, (short) (flags | IFF_UP));
            Native.check(Native.ioctl(socket, SIOCSIFFLAGS, flagsRequest), "ioctl(SIOCSIFFLAGS up)");
        } finally {
            Native.close(socket);
        }
    }

    public String name() {
        return name;
    }

    /**
     * Injects one IP packet, {@code buffer[offset, offset+length)}, preceded by the {@link VnetHeader#LENGTH}
     * bytes before {@code offset}, which must hold its virtio_net_hdr (see {@link VnetHeader#writeForTun}).
     * Returns the IP bytes written or -errno; never throws, never allocates.
     */
    public long write(MemorySegment buffer, long offset, int length) {
        long written = Native.write(fd, buffer, offset - VnetHeader.LENGTH, VnetHeader.LENGTH + (long) length);
        return written < 0 ? written : written - VnetHeader.LENGTH;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Native.close(fd);
            fd = -1;
        }
    }
}
