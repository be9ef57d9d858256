package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.jvs.sched.SchedulerRegistry;

/** -o as ipvsadm's print_service_entry shows it: " ops" in -L after persistence, " -o" in -S before -b. */
class OnePacketListingTest {
    private final FakeDirector director = new FakeDirector();
    private final CommandRunner runner = runner(director);

    private static CommandRunner runner(FakeDirector director) {
        return new CommandRunner(director, new IpvsadmParser(SchedulerRegistry.names(), Scenario.NAMES),
                new IpvsadmFormatter(Scenario.NAMES));
    }

    private String run(String commandLine, String stdin) {
        Reply reply = runner.run(Scenario.words(commandLine), stdin);
        assertEquals(0, reply.exitCode(), () -> commandLine + ": " + reply.stderr());
        return reply.stdout();
    }

    @Test
    void shouldListOpsAfterPersistence() {
        run("-A -u 192.0.2.1:53 -s rr -p 60 -o", null);

        assertEquals(List.of("UDP  192.0.2.1:53 rr persistent 60 ops"), serviceLines(run("-L -n", null)));
    }

    @Test
    void shouldSaveOpsBeforeSchedulerFlagsAndRestoreTheSameService() {
        run("-A -u 192.0.2.1:53 -s sh --sched-flags sh-port -o", null);
        run("-a -u 192.0.2.1:53 -r 198.51.100.2 -w 2", null);
        String saved = run("-S -n", null);

        assertEquals("-A -u 192.0.2.1:53 -s sh -o -b sh-port\n-a -u 192.0.2.1:53 -r 198.51.100.2:53 -g -w 2\n", saved);
        FakeDirector restored = new FakeDirector();
        CommandRunner restoring = runner(restored);
        assertEquals(0, restoring.run(List.of("-R"), saved).exitCode());
        assertEquals(saved, restoring.run(List.of("-S", "-n"), null).stdout());
        assertEquals(true, restored.services.getFirst().onePacket());
    }

    @Test
    void shouldClearOpsWhenEditedWithoutIt() {
        run("-A -u 192.0.2.1:53 -s rr -o", null);

        run("-E -u 192.0.2.1:53 -s rr", null);

        assertEquals(List.of("UDP  192.0.2.1:53 rr"), serviceLines(run("-L -n", null)));
    }

    private static List<String> serviceLines(String listing) {
        return listing.lines().filter(line -> line.startsWith("UDP")).toList();
    }
}
