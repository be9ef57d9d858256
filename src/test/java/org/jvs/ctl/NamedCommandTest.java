package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.jvs.sched.SchedulerRegistry;

class NamedCommandTest {
    @TempDir
    Path temp;

    private final FakeDirector director = new FakeDirector();

    private ControlServer server(Path socket) {
        CommandRunner runner = new CommandRunner(director,
                new IpvsadmParser(SchedulerRegistry.names(), NameResolver.numericOnly()),
                new IpvsadmFormatter(NameResolver.numericOnly()));
        return new ControlServer(runner, socket, user -> true);
    }

    @Test
    void shouldRunARegisteredCommandWithItsArguments() throws IOException {
        Path socket = temp.resolve("jvs.sock");
        try (ControlServer server = server(socket)) {
            server.register("echo", args -> new Reply(3, String.join(",", args) + "\n", "to err\n"));
            server.start();

            Reply reply = new ControlClient(socket).send(ControlServer.namedRequest("echo", List.of("a", "b c")), null);

            assertEquals(new Reply(3, "a,b c\n", "to err\n"), reply);
        }
    }

    @Test
    void shouldRefuseAnUnknownNamedCommandInOneLine() throws IOException {
        Path socket = temp.resolve("jvs.sock");
        try (ControlServer server = server(socket)) {
            server.start();

            Reply reply = new ControlClient(socket).send(ControlServer.namedRequest("reload", List.of()), null);

            assertEquals(new Reply(2, "", "jvs: this director has no command 'reload'\n"), reply);
        }
    }

    @Test
    void shouldNotLetJvsadmReachNamedCommands() throws IOException {
        Path socket = temp.resolve("jvs.sock");
        try (ControlServer server = server(socket)) {
            server.register("reload", args -> new Reply(0, "reloaded\n", ""));
            server.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = ControlClient.run(ControlServer.namedRequest("reload", List.of()),
                    new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), socket);

            assertEquals(255, code, "ipvsadm's status for an unknown option");
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("--jvs-named-command"), err.toString());
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            assertTrue(director.calls.isEmpty());
        }
    }

    /** At debug level the director's log keeps one line per command with its outcome: an audit trail of changes. */
    @Test
    void shouldLogEachCommandAndItsExitAtDebugLevel() throws IOException {
        Path socket = temp.resolve("jvs.sock");
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (ControlServer server = server(socket)) {
            server.log(org.jvs.log.Log.to(new PrintStream(logged, true, StandardCharsets.UTF_8),
                    org.jvs.log.Log.Level.DEBUG, "control"));
            server.register("echo", args -> new Reply(3, "", "echo: refused\nsecond line\n"));
            server.start();

            new ControlClient(socket).send(List.of("-A", "-t", "192.0.2.1:80", "-s", "rr"), null);
            new ControlClient(socket).send(ControlServer.namedRequest("echo", List.of("a")), null);
        }

        assertEquals(List.of("DEBUG control: jvsadm -A -t 192.0.2.1:80 -s rr: exit 0",
                "DEBUG control: jvs echo a: exit 3, echo: refused"),
                logged.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void shouldLogNoCommandAboveDebugLevel() throws IOException {
        Path socket = temp.resolve("jvs.sock");
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (ControlServer server = server(socket)) {
            server.log(org.jvs.log.Log.to(new PrintStream(logged, true, StandardCharsets.UTF_8),
                    org.jvs.log.Log.Level.INFO, "control"));
            server.start();

            new ControlClient(socket).send(List.of("-A", "-t", "192.0.2.1:80", "-s", "rr"), null);
        }

        assertEquals("", logged.toString(StandardCharsets.UTF_8));
    }
}
