package org.jvs.app.demo;

import org.jvs.linux.FrameCapture;
import org.jvs.linux.NetworkNamespace;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches several links of the lab at once, each from a platform thread that entered the link's namespace, and keeps
 * the TCP connection openings (SYN, SYN-ACK) seen there. Bounded: each capture stops at its deadline or after
 * {@link #MAX_HOPS} frames, and {@link #stop} closes them all.
 */
public final class LinkCaptures {
    /** Where to capture: an interface in a namespace, and the link name to print. */
    public record Point(String namespace, String interfaceName, String link) {
    }

    private static final int POLL_MS = 50;
    private static final int MAX_HOPS = 256;
    private static final long OPEN_TIMEOUT_MS = 5_000;

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Hop> hops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();
    private volatile boolean stopping;

    private LinkCaptures() {
    }

    /** Starts a capture on every point and returns once all are listening; each ends by itself after {@code maxMs}. */
    public static LinkCaptures start(List<Point> points, long maxMs) throws IOException {
        LinkCaptures captures = new LinkCaptures();
        CountDownLatch listening = new CountDownLatch(points.size());
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        for (Point point : points) {
            Thread thread = Thread.ofPlatform().daemon().name("jvs-demo-capture-" + point.namespace())
                    .unstarted(() -> captures.capture(point, deadlineNs, listening));
            captures.threads.add(thread);
            thread.start();
        }
        try {
            boolean ready = listening.await(OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!captures.failures.isEmpty() || !ready) {
                captures.stop();
                throw new IOException(captures.failures.isEmpty() ? "the captures did not start within "
                        + OPEN_TIMEOUT_MS / 1000 + " s" : captures.failures.peek());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            captures.stop();
            throw new IOException("interrupted while the captures started");
        }
        return captures;
    }

    /** What the captures have seen so far (in no particular order). */
    public List<Hop> seen() {
        return List.copyOf(hops);
    }

    /** Ends every capture and returns what they saw (in no particular order). */
    public List<Hop> stop() throws IOException {
        stopping = true;
        for (Thread thread : threads) {
            try {
                thread.join(OPEN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException(failures.peek());
        }
        return List.copyOf(hops);
    }

    private void capture(Point point, long deadlineNs, CountDownLatch listening) {
        String where = point.interfaceName() + " in " + point.namespace();
        boolean listened = false;
        try {
            NetworkNamespace.enterOnCurrentThread(point.namespace());
            try (FrameCapture capture = FrameCapture.open(point.interfaceName(), POLL_MS)) {
                listening.countDown();
                listened = true;
                while (!stopping && System.nanoTime() < deadlineNs && kept.get() < MAX_HOPS) {
                    int length = capture.receive();
                    SeenFrame frame = length > 0 ? SeenFrame.decode(capture.frame(), length) : null;
                    if (frame != null && (frame.isSyn() || frame.isSynAck())) {
                        kept.incrementAndGet();
                        hops.add(new Hop(point.link(), capture.timestampNs(), frame));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failures.add("cannot capture on " + where + ": " + e.getMessage());
        } finally {
            if (!listened) {
                listening.countDown(); // so start() sees the failure now, not after its timeout
            }
        }
    }
}
