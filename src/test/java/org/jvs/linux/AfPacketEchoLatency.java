package org.jvs.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.jvs.linux.VethNamespaces.run;

/**
 * Measurement, not a test: how long a frame waits in AfPacketPort. jvst-lat2 pings an address nobody but this
 * program answers (198.51.100.9, pinned in lat2's neighbour table to the echo side's MAC); the echo loop in
 * jvst-lat1 turns each request around through the port's RX and TX rings. Timing is printed, never asserted.
 * Own namespace names so it can run beside the netns tests. Run as root:
 * {@code java -cp target/classes:target/test-classes org.jvs.linux.AfPacketEchoLatency [count] [interval] [spin]}.
 */
final class AfPacketEchoLatency {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ECHO_ADDRESS = 0xC6336409; // 198.51.100.9
    private static final int IP = 14;
    private static final int ICMP = IP + 20;
    private static final String L1 = "jvst-lat1";
    private static final String L2 = "jvst-lat2";
    private static final String V1 = "jvst-lat-v1";
    private static final String V2 = "jvst-lat-v2";
    private static final String V1_MAC_TEXT = "02:00:5e:10:01:01";
    private static final Pattern RTT = Pattern.compile("time=([0-9.]+) ms");

    private AfPacketEchoLatency() {
    }

    public static void main(String[] args) throws Exception {
        String count = args.length > 0 ? args[0] : "200";
        String interval = args.length > 1 ? args[1] : "0.01";
        // "spin" polls without sleeping, which leaves out the wake-up of the echo thread
        int pollTimeoutMs = args.length > 2 && args[2].equals("spin") ? 0 : 100;
        createNamespaces();
        AtomicBoolean running = new AtomicBoolean(true);
        try (NamespaceThread inL1 = new NamespaceThread(L1)) {
            run("ip", "-n", L2, "neigh", "replace", "198.51.100.9", "lladdr", V1_MAC_TEXT, "dev", V2, "nud", "permanent");
            AfPacketPort port = inL1.call(() -> AfPacketPort.open(V1));
            Thread echo = Thread.ofPlatform().name("echo").start(() -> echoLoop(port, running, pollTimeoutMs));
            try {
                System.out.println("through AfPacketPort (198.51.100.9):");
                report(ping("198.51.100.9", count, interval));
                System.out.println("reference, answered by the jvst-lat1 kernel (198.51.100.1):");
                report(ping("198.51.100.1", count, interval));
            } finally {
                running.set(false);
                echo.join(TimeUnit.SECONDS.toMillis(5));
                port.close();
            }
        } finally {
            destroyNamespaces();
        }
    }

    private static void createNamespaces() {
        destroyNamespaces();
        run("ip", "netns", "add", L1);
        run("ip", "netns", "add", L2);
        run("ip", "-n", L1, "link", "add", V1, "address", V1_MAC_TEXT, "type", "veth", "peer", "name", V2, "netns", L2);
        run("ip", "-n", L1, "address", "add", "198.51.100.1/24", "dev", V1);
        run("ip", "-n", L2, "address", "add", "198.51.100.2/24", "dev", V2);
        run("ip", "-n", L1, "link", "set", V1, "up");
        run("ip", "-n", L2, "link", "set", V2, "up");
    }

    private static void destroyNamespaces() {
        for (String namespace : List.of(L1, L2)) {
            if (new java.io.File("/var/run/netns/" + namespace).exists()) {
                run("ip", "netns", "delete", namespace);
            }
        }
    }

    private static PortPoller newPoller(AfPacketPort port) {
        try {
            return new PortPoller(List.of(port));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void echoLoop(AfPacketPort port, AtomicBoolean running, int pollTimeoutMs) {
        try (PortPoller poller = newPoller(port); Arena arena = Arena.ofConfined()) {
            MemorySegment reply = arena.allocate(2048);
            int[] replies = new int[1];
            while (running.get()) {
                poller.await(pollTimeoutMs);
                port.receive((ifindex, frame, offset, length, flags) -> {
                    if (length <= reply.byteSize() && isEchoRequestToUs(frame, offset, length)) {
                        MemorySegment.copy(frame, offset, reply, 0, length);
                        turnAround(reply, length);
                        port.send(reply, 0, length);
                        replies[0]++;
                    }
                }, 64);
                port.flush();
            }
            System.out.println("echo loop answered " + replies[0] + " requests, truncated " + port.truncatedFrames());
        }
    }

    private static boolean isEchoRequestToUs(MemorySegment frame, long offset, int length) {
        return length >= ICMP + 8
                && (frame.get(U16, offset + 12) & 0xFFFF) == 0x0800
                && frame.get(ValueLayout.JAVA_BYTE, offset + IP + 9) == 1
                && frame.get(U32, offset + IP + 16) == ECHO_ADDRESS
                && frame.get(ValueLayout.JAVA_BYTE, offset + ICMP) == 8;
    }

    /** Swaps MACs and addresses (the IP checksum is order-independent) and makes it an echo reply. */
    private static void turnAround(MemorySegment frame, int length) {
        for (int i = 0; i < 6; i++) {
            byte destination = frame.get(ValueLayout.JAVA_BYTE, i);
            frame.set(ValueLayout.JAVA_BYTE, i, frame.get(ValueLayout.JAVA_BYTE, 6 + i));
            frame.set(ValueLayout.JAVA_BYTE, 6 + i, destination);
        }
        int source = frame.get(U32, IP + 12);
        frame.set(U32, IP + 12, frame.get(U32, IP + 16));
        frame.set(U32, IP + 16, source);
        int icmpLength = (frame.get(U16, IP + 2) & 0xFFFF) - 20;
        frame.set(ValueLayout.JAVA_BYTE, ICMP, (byte) 0);
        frame.set(U16, ICMP + 2, (short) 0);
        byte[] icmp = frame.asSlice(ICMP, Math.min(icmpLength, length - ICMP)).toArray(ValueLayout.JAVA_BYTE);
        frame.set(U16, ICMP + 2, TestFrames.checksum(icmp, 0, icmp.length));
    }

    /** ping(8) is not installed everywhere: a raw-socket pinger in python prints one "time=... ms" per reply. */
    private static String ping(String address, String count, String interval) {
        String pinger = """
                import socket, struct, sys, time
                def checksum(b):
                    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s & 0xffff) + (s >> 16); s += s >> 16
                    return ~s & 0xffff
                address, count, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
                s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(1)
                time.sleep(0.2)
                received = 0
                for seq in range(-1, count):
                    body = struct.pack('!HH', 0x4a56, seq & 0xffff) + b'jvs-latency-probe-padding-to-56-bytes-of-payload....'
                    packet = struct.pack('!BBH', 8, 0, checksum(struct.pack('!BBH', 8, 0, 0) + body)) + body
                    start = time.perf_counter_ns(); s.sendto(packet, (address, 0))
                    try:
                        while True:
                            reply = s.recv(2048); icmp = reply[(reply[0] & 15) * 4:]
                            if icmp[0] == 0 and icmp[4:8] == body[0:4]: break
                        rtt = (time.perf_counter_ns() - start) / 1e6
                        if seq >= 0: received += 1; print('seq=%d time=%.3f ms' % (seq, rtt))
                    except socket.timeout:
                        pass
                    time.sleep(interval)
                print('%d transmitted, %d received' % (count, received))
                """;
        return run("ip", "netns", "exec", L2, "python3", "-c", pinger, address, count, interval);
    }

    private static void report(String pingOutput) {
        List<Double> rtts = new ArrayList<>();
        Matcher matcher = RTT.matcher(pingOutput);
        while (matcher.find()) {
            rtts.add(Double.parseDouble(matcher.group(1)));
        }
        Collections.sort(rtts);
        pingOutput.lines().filter(l -> l.contains("received") || l.startsWith("rtt")).forEach(System.out::println);
        if (rtts.isEmpty()) {
            System.out.println("no replies");
            return;
        }
        System.out.printf("replies=%d median=%.3f ms p10=%.3f ms p90=%.3f ms max=%.3f ms%n", rtts.size(),
                rtts.get(rtts.size() / 2), rtts.get(rtts.size() / 10), rtts.get(rtts.size() * 9 / 10),
                rtts.get(rtts.size() - 1));
    }
}
