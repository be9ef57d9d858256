package org.jvs.check;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor with real checkers on namespace threads: a real server that stops listening goes down and back. */
@Tag("netns")
class HealthMonitorNetnsTest {
    private static final int PORT = 8180;
    private static CheckNamespace namespace;

    @BeforeAll
    static void createNamespace() {
        namespace = new CheckNamespace("jvst-chkm");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    private static ServerSocket listen() throws Exception {
        return namespace.call(() -> {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(Connections.inet(CheckNamespace.SERVER), PORT));
            return socket;
        });
    }

    @Test
    void shouldTakeServerDownWhenItStopsListeningAndBackWhenItReturns() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HealthListener listener = new HealthListener() {
            @Override
            public void onHealthChange(String server, boolean up, String reason) {
                events.add(server + (up ? " up: " : " down: ") + reason);
            }

            @Override
            public void onWeightChange(String server, int weight) {
                events.add(server + " weight " + weight);
            }
        };
        CheckCommon common = new CheckCommon(0, 0, 0, 0, Duration.ofMillis(300), 1, Duration.ofMillis(20),
                Duration.ofMillis(50), Duration.ofMillis(50));
        CheckedServer server = new CheckedServer("TCP 203.0.113.10:80 -> 192.0.2.1:8180", CheckNamespace.SERVER, PORT,
                List.of(new TcpCheckSpec(common)), false);
        ServerSocket socket = listen();
        try (HealthMonitor monitor = new HealthMonitor(listener, namespace.threads())) {
            monitor.watch(server);
            assertEquals(server.name() + " up: TCP_CHECK: connected", events.poll(5, TimeUnit.SECONDS), "alpha server never came up");
            assertTrue(monitor.isUp(server.name()));

            socket.close();
            assertEquals(server.name() + " down: TCP_CHECK: connect refused", events.poll(5, TimeUnit.SECONDS));
            assertFalse(monitor.isUp(server.name()));
            CheckerStatus row = monitor.status().getFirst();
            assertFalse(row.up());
            assertTrue(row.lastResult().startsWith("connect refused"), row.lastResult());

            socket = listen();
            assertEquals(server.name() + " up: TCP_CHECK: connected", events.poll(5, TimeUnit.SECONDS));
        } finally {
            socket.close();
        }
    }
}
