package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plays systemd: binds the AF_UNIX datagram socket a service manager would and reads what the notifier sends. */
class SystemdNotifyTest {
    private static final long MONOTONIC_USEC = 123_456_789L;
    private static final long PID = 4242;

    @Test
    void shouldSendReadyReloadingAndStoppingDatagramsToAPathSocket(@TempDir Path dir) throws IOException {
        String address = dir.resolve("notify").toString();
        try (Receiver systemd = Receiver.bind(address)) {
            SystemdNotify notify = SystemdNotify.to(address, () -> MONOTONIC_USEC, PID);
            assertTrue(notify.enabled());

            notify.ready("attached to eth0 with 1 worker");
            assertEquals("READY=1\nSTATUS=attached to eth0 with 1 worker\nMAINPID=4242", systemd.receive());
            notify.reloading();
            assertEquals("RELOADING=1\nMONOTONIC_USEC=123456789", systemd.receive());
            notify.stopping();
            assertEquals("STOPPING=1", systemd.receive());
        }
    }

    @Test
    void shouldSendToAnAbstractSocketNamedWithAnAt() throws IOException {
        String address = "@jvs-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Receiver systemd = Receiver.bind(address)) {
            SystemdNotify.to(address, () -> MONOTONIC_USEC, PID).status("two\nlines");
            assertEquals("STATUS=two lines", systemd.receive());
        }
    }

    @Test
    void shouldReportASocketNobodyListensOn(@TempDir Path dir) {
        SystemdNotify notify = SystemdNotify.to(dir.resolve("absent").toString(), () -> 0, PID);
        IOException refused = assertThrows(IOException.class, () -> notify.ready("up"));
        assertTrue(refused.getMessage().startsWith("sendto(NOTIFY_SOCKET "), refused.getMessage());
    }

    @Test
    void shouldRefuseAddressesSystemdWouldNotGive() {
        assertThrows(IllegalArgumentException.class, () -> SystemdNotify.to("relative", () -> 0, PID));
        assertThrows(IllegalArgumentException.class, () -> SystemdNotify.to("/" + "x".repeat(120), () -> 0, PID));
    }

    @Test
    void shouldBuildSockaddrUnAsSdNotifyDoes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(110);
            assertEquals(2 + "/run/n".length() + 1, SystemdNotify.sockaddrUn(sockaddr, "/run/n"));
            assertEquals(Native.AF_UNIX, sockaddr.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals('/', sockaddr.get(ValueLayout.JAVA_BYTE, 2));
            // abstract: '@' becomes the leading NUL and the length counts no terminating NUL
            assertEquals(2 + "@abc".length(), SystemdNotify.sockaddrUn(sockaddr, "@abc"));
            assertEquals(0, sockaddr.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals('a', sockaddr.get(ValueLayout.JAVA_BYTE, 3));
        }
    }

    @Test
    void shouldDoNothingWithoutNotifySocket() throws IOException {
        if (System.getenv("NOTIFY_SOCKET") == null) {
            SystemdNotify notify = SystemdNotify.fromEnvironment();
            assertFalse(notify.enabled());
            notify.ready("up");
        }
    }

    /** A bound AF_UNIX SOCK_DGRAM socket with a receive timeout, as systemd's notify socket. */
    private record Receiver(int fd, Arena arena) implements AutoCloseable {
        private static final int SO_RCVTIMEO_SECONDS = 5;

        static Receiver bind(String address) throws IOException {
            int fd = (int) Native.check(Native.socket(Native.AF_UNIX, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0),
                    "socket");
            Arena arena = Arena.ofShared();
            MemorySegment sockaddr = arena.allocate(110);
            int length = SystemdNotify.sockaddrUn(sockaddr, address);
            Native.check(Native.bind(fd, sockaddr, length), "bind " + address);
            // struct timeval { long tv_sec; long tv_usec; }
            MemorySegment timeout = arena.allocate(16);
            timeout.set(ValueLayout.JAVA_LONG, 0, SO_RCVTIMEO_SECONDS);
            Native.check(Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, timeout, 16), "SO_RCVTIMEO");
            return new Receiver(fd, arena);
        }

        String receive() throws IOException {
            MemorySegment buffer = arena.allocate(4096);
            long length = Native.check(Native.recvfrom(fd, buffer, buffer.byteSize(), 0, MemorySegment.NULL,
                    MemorySegment.NULL), "recvfrom");
            return new String(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            Native.close(fd);
            arena.close();
        }
    }
}
