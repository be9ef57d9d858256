package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.jvs.sched.SchedulerRegistry;

class ControlSocketTest {
    @TempDir
    Path temp;

    private final FakeDirector director = new FakeDirector();

    private ControlServer server(Path socket, boolean allowPeer) {
        CommandRunner runner = new CommandRunner(director,
                new IpvsadmParser(SchedulerRegistry.names(), NameResolver.numericOnly()),
                new IpvsadmFormatter(NameResolver.numericOnly()));
        return new ControlServer(runner, socket, user -> allowPeer);
    }

    /** Runs jvsadm against {@code socket}: exit code, stdout, stderr. */
    private static Reply jvsadm(Path socket, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ControlClient.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                socket);
        return new Reply(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRunCommandsThroughTheSocketAndAnswerListings() throws IOException {
        Path socket = temp.resolve("run/jvs/net-1.sock");
        try (ControlServer server = server(socket, true)) {
            server.start();
            assertEquals(new Reply(0, "", ""), jvsadm(socket, "", "-A", "-t", "192.0.2.1:80", "-s", "rr"));
            assertEquals(new Reply(0, "", ""), jvsadm(socket, "", "-a", "-t", "192.0.2.1:80", "-r", "198.51.100.2", "-m"));
            Reply list = jvsadm(socket, "", "-L", "-n");
            assertEquals(new Reply(0, IpvsadmFormatter.VERSION_LINE
                    + "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                    + "TCP  192.0.2.1:80 rr\n"
                    + "  -> 198.51.100.2:80              Masq    1      0          0         \n", ""), list);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        }
        assertFalse(Files.exists(socket), "socket file removed on close");
    }

    @Test
    void shouldPassRestoreTextFromStdin() throws IOException {
        Path socket = temp.resolve("net-2.sock");
        try (ControlServer server = server(socket, true)) {
            server.start();
            Reply reply = jvsadm(socket, "-A -u 192.0.2.9:53 -s wrr\n-a -u 192.0.2.9:53 -r 198.51.100.7:53 -g -w 3\n", "-R");
            assertEquals(new Reply(0, "", ""), reply);
            assertEquals("-A -u 192.0.2.9:53 -s wrr\n-a -u 192.0.2.9:53 -r 198.51.100.7:53 -g -w 3\n",
                    jvsadm(socket, "", "-S", "-n").stdout());
        }
    }

    @Test
    void shouldPassASysctlSettingToTheDirector() throws IOException {
        Path socket = temp.resolve("net-7.sock");
        try (ControlServer server = server(socket, true)) {
            server.start();
            assertEquals(new Reply(0, "", ""), jvsadm(socket, "", "--sysctl", "expire_quiescent_template=1"));
        }
        assertEquals(java.util.List.of("setSetting expire_quiescent_template=1"), director.calls);
    }

    @Test
    void shouldReportDirectorRefusalWithIpvsadmMessageAndStatus() throws IOException {
        Path socket = temp.resolve("net-3.sock");
        try (ControlServer server = server(socket, true)) {
            server.start();
            assertEquals(new Reply(255, "", "Service not defined\n"),
                    jvsadm(socket, "", "-a", "-t", "192.0.2.1:80", "-r", "198.51.100.2"));
            assertEquals(new Reply(1, "", "No such service\n"), jvsadm(socket, "", "-L", "-n", "-t", "192.0.2.1:80"));
        }
    }

    @Test
    void shouldRunSyncDaemonCommandsAgainstTheConnectionSyncGivenBeforeStart() throws IOException {
        Path socket = temp.resolve("net-8.sock");
        FakeSyncDaemons daemons = new FakeSyncDaemons("eth1");
        try (ControlServer server = server(socket, true).syncDaemons(daemons)) {
            server.start();
            assertEquals(new Reply(0, "", ""), jvsadm(socket, "", "--start-daemon", "master", "--mcast-interface",
                    "eth1", "--syncid", "5"));
            assertEquals(new Reply(0, "master sync daemon (mcast=eth1, syncid=5, group=224.0.0.81, port=8848, ttl=1)\n",
                    ""), jvsadm(socket, "", "-L", "--daemon"));
            assertEquals(new Reply(255, "", "No daemon is running\n"), jvsadm(socket, "", "--stop-daemon", "backup"));
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> server.syncDaemons(null));
            assertEquals("the control socket " + socket + " is already started; expected syncDaemons() before start()",
                    late.getMessage());
        }
    }

    @Test
    void shouldRefuseSyncDaemonCommandsWithoutConnectionSync() throws IOException {
        Path socket = temp.resolve("net-9.sock");
        try (ControlServer server = server(socket, true)) {
            server.start();
            assertEquals(new Reply(255, "", "'--start-daemon master' refused: this director runs without connection "
                    + "sync (expected a director started with a sync daemon)\n"),
                    jvsadm(socket, "", "--start-daemon", "master"));
            assertEquals(new Reply(0, "", ""), jvsadm(socket, "", "-L", "--daemon"));
        }
    }

    @Test
    void shouldRefuseNonRootPeers() throws IOException {
        Path socket = temp.resolve("net-4.sock");
        try (ControlServer server = server(socket, false)) {
            server.start();
            assertEquals(new Reply(2, "", "Permission denied (you must be root)\n"),
                    jvsadm(socket, "", "-A", "-t", "192.0.2.1:80"));
        }
        assertTrue(director.calls.isEmpty(), "nothing reached the director");
    }

    @Test
    void shouldSayInOneLineThatNoDirectorRunsWhenNobodyListens() {
        Path socket = temp.resolve("net-4026532999.sock");
        Reply reply = jvsadm(socket, "", "-L", "-n");
        assertEquals(new Reply(1, "", "jvsadm: no JVS director in this network namespace (" + socket
                + "): start it with ./jvs director\n"), reply);
    }

    @Test
    void shouldReportParseErrorsWithoutConnecting() {
        Reply reply = jvsadm(temp.resolve("absent.sock"), "", "-A", "-t", "192.0.2.1:80", "-w", "3");
        assertEquals(new Reply(2, "", "Illegal 'weight' option with the 'add-service' command: '-w 3' "
                + "('-A' takes only -t|-u -s -p -M -o --sched-flags --proxy-protocol)\n"), reply);
    }

    @Test
    void shouldLeaveSchedulerAndHostNamesToTheDirectorAndChangeNothingWhenItRefuses() throws IOException {
        Path socket = temp.resolve("net-6.sock");
        try (ControlServer server = server(socket, true)) {
            server.start();
            assertEquals(new Reply(255, "", "-s 'foo': Scheduler or persistence engine not found (known: "
                    + String.join(" ", SchedulerRegistry.names()) + ")\n"),
                    jvsadm(socket, "", "-A", "-t", "192.0.2.1:80", "-s", "foo"));
            assertEquals(new Reply(2, "", "illegal virtual server address[:port] specified: 'nosuch.example:80' "
                    + "(expected an IPv4 address or a host name from /etc/hosts before ':')\n"),
                    jvsadm(socket, "", "-A", "-t", "nosuch.example:80"));
        }
        assertTrue(director.calls.isEmpty(), director.calls::toString);
    }

    @Test
    void shouldListTheRegisteredSchedulersInHelpWithoutADirector() {
        Reply reply = jvsadm(temp.resolve("absent.sock"), "", "-h");
        assertEquals(0, reply.exitCode());
        assertTrue(reply.stdout().contains(" one of " + String.join("|", SchedulerRegistry.names()) + ",\n"),
                reply.stdout());
    }

    @Test
    void shouldReplaceAStaleSocketButNotALiveOne() throws IOException {
        Path socket = temp.resolve("net-5.sock");
        try (ControlServer first = server(socket, true)) {
            first.start();
            IOException refused = assertThrows(IOException.class, () -> server(socket, true).start());
            assertEquals("another JVS director already listens on " + socket, refused.getMessage());
        }
        Files.createFile(socket);
        try (ControlServer second = server(socket, true)) {
            second.start();
            assertEquals(0, jvsadm(socket, "", "-C").exitCode());
        }
    }

    @Test
    void shouldDeriveTheSocketPathFromTheNetworkNamespaceInode() throws IOException {
        assertEquals(Path.of("/run/jvs/net-4026531840.sock"), ControlSocketPath.forNamespaceLink("net:[4026531840]"));
        assertThrows(IOException.class, () -> ControlSocketPath.forNamespaceLink("mnt:[4026531840]"));
        assertThrows(IOException.class, () -> ControlSocketPath.forNamespaceLink("net:[]"));
        assertThrows(IOException.class, () -> ControlSocketPath.forNamespaceLink("net:[40265x]"));
        assertThrows(IOException.class, () -> ControlSocketPath.forNamespaceLink("net:[4026531840"));
        assertTrue(ControlSocketPath.forThisNetworkNamespace().getFileName().toString().matches("net-\\d+\\.sock"));
    }
}
