package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * systemd's readiness protocol (sd_notify(3)): one datagram of {@code KEY=VALUE} lines to the AF_UNIX datagram
 * socket named by {@code $NOTIFY_SOCKET}; an address starting with '@' is in the abstract namespace. Java's
 * DatagramChannel has no AF_UNIX, hence the FFM calls. Without {@code $NOTIFY_SOCKET} (not run by systemd, or not
 * {@code Type=notify}) every call does nothing, as sd_notify does.
 *
 * <p>{@code Type=notify-reload} (systemd 253) wants {@code RELOADING=1} with {@code MONOTONIC_USEC} (CLOCK_MONOTONIC,
 * which is what {@link System#nanoTime()} reads on Linux) when a reload starts, then {@code READY=1} when it ends.
 * A failed send is reported to the caller, never retried: systemd then times the start-up out, as it would with
 * keepalived.
 */
public final class SystemdNotify {
    /** {@code struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }} */
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_LENGTH = 108;
    private static final SystemdNotify NONE = new SystemdNotify(null, () -> 0, 0);

    private final String address;
    private final LongSupplier monotonicUsec;
    private final long pid;

    private SystemdNotify(String address, LongSupplier monotonicUsec, long pid) {
        this.address = address;
        this.monotonicUsec = monotonicUsec;
        this.pid = pid;
    }

    /** The notifier systemd asked for through {@code $NOTIFY_SOCKET}, or one that sends nothing. */
    public static SystemdNotify fromEnvironment() {
        String address = System.getenv("NOTIFY_SOCKET");
        return address == null || address.isEmpty() ? NONE : to(address, () -> System.nanoTime() / 1_000,
                ProcessHandle.current().pid());
    }

    /** Sends to {@code address} (a path, or '@' and an abstract name), reading the clock and pid given. */
    public static SystemdNotify to(String address, LongSupplier monotonicUsec, long pid) {
        if (address.length() < 2 || (address.charAt(0) != '/' && address.charAt(0) != '@')) {
            throw new IllegalArgumentException("NOTIFY_SOCKET " + address
                    + ": expected an absolute path or '@' and an abstract name");
        }
        if (address.getBytes(StandardCharsets.UTF_8).length >= SUN_PATH_LENGTH) {
            throw new IllegalArgumentException("NOTIFY_SOCKET " + address + ": longer than sun_path");
        }
        return new SystemdNotify(address, monotonicUsec, pid);
    }

    /** Whether the messages go anywhere. */
    public boolean enabled() {
        return address != null;
    }

    /** Start-up (or a reload) is complete: {@code READY=1}, the status line and the main pid. */
    public void ready(String status) throws IOException {
        send("READY=1\nSTATUS=" + oneLine(status) + "\nMAINPID=" + pid);
    }

    /** A reload starts: {@code RELOADING=1} and the monotonic time of its start, as notify-reload requires. */
    public void reloading() throws IOException {
        send("RELOADING=1\nMONOTONIC_USEC=" + monotonicUsec.getAsLong());
    }

    /** The service is shutting down. */
    public void stopping() throws IOException {
        send("STOPPING=1");
    }

    /** Free-form status shown by {@code systemctl status}. */
    public void status(String status) throws IOException {
        send("STATUS=" + oneLine(status));
    }

    /** Sends {@code state} (newline-separated KEY=VALUE assignments) as one datagram. */
    public void send(String state) throws IOException {
        if (address == null) {
            return;
        }
        int fd = (int) Native.check(Native.socket(Native.AF_UNIX, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0),
                "socket(AF_UNIX)");
        try (Arena arena = Arena.ofConfined()) {
            byte[] text = state.getBytes(StandardCharsets.UTF_8);
            MemorySegment message = arena.allocate(Math.max(1, text.length));
            MemorySegment.copy(text, 0, message, ValueLayout.JAVA_BYTE, 0, text.length);
            MemorySegment sockaddr = arena.allocate(SUN_PATH_OFFSET + SUN_PATH_LENGTH);
            int length = sockaddrUn(sockaddr, address);
            long sent = Native.check(Native.sendto(fd, message, text.length, 0, sockaddr, length),
                    "sendto(NOTIFY_SOCKET " + address + ")");
            if (sent != text.length) {
                throw new IOException("sendto(NOTIFY_SOCKET " + address + "): sent " + sent + " of " + text.length
                        + " bytes");
            }
        } finally {
            Native.close(fd);
        }
    }

    /**
     * Fills {@code sockaddr} as a sockaddr_un for {@code address} and returns its length: a path with its NUL, an
     * abstract name ('@' becomes the leading NUL) without one, the length counting exactly its bytes.
     */
    static int sockaddrUn(MemorySegment sockaddr, String address) {
        sockaddr.fill((byte) 0);
        sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) Native.AF_UNIX);
        byte[] path = address.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path[0] == '@';
        if (abstractName) {
            path[0] = 0;
        }
        MemorySegment.copy(path, 0, sockaddr, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET, path.length);
        return SUN_PATH_OFFSET + path.length + (abstractName ? 0 : 1);
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ');
    }
}
