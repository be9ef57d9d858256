package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.jvs.api.ControlException;
import org.jvs.sched.SchedulerRegistry;

class RestoreScriptTest {
    private final IpvsadmParser parser = new IpvsadmParser(SchedulerRegistry.names(), Scenario.NAMES);

    private static CommandRunner runner(FakeDirector director) {
        return new CommandRunner(director, new IpvsadmParser(SchedulerRegistry.names(), Scenario.NAMES),
                new IpvsadmFormatter(Scenario.NAMES));
    }

    @ParameterizedTest(name = "jvsadm {0} | jvsadm -R")
    @ValueSource(strings = {"-S -n", "-S"})
    void shouldRebuildTheSameTableFromSaveOutput(String save) throws Exception {
        FakeDirector original = Scenario.director();
        String saved = runner(original).run(Scenario.words(save), null).stdout();

        FakeDirector restored = new FakeDirector();
        RestoreScript.apply(saved, "saved.rules", restored, parser);

        assertEquals(runner(original).run(Scenario.words("-S -n"), null), runner(restored).run(Scenario.words("-S -n"), null));
        assertEquals(IpvsadmFormatterTest.golden("save-numeric.txt"), runner(restored).run(Scenario.words("-S -n"), null).stdout());
    }

    @Test
    void shouldIgnoreBlankLinesCommentsAndTheProgramName() throws ControlException {
        FakeDirector director = new FakeDirector();
        RestoreScript.apply("""
                # web farm
                
                ipvsadm -A -t 192.0.2.1:80 -s rr   # round robin
                \t-a -t 192.0.2.1:80 -r 198.51.100.2 -m\r
                jvsadm --set 0 0 60
                """, "farm.rules", director, parser);
        assertEquals(3, director.calls.size(), director.calls::toString);
        assertEquals(60, director.timeouts().udpS());
    }

    @Test
    void shouldChangeNothingWhenAnyLineIsMalformedAndNameTheLine() {
        FakeDirector director = new FakeDirector();
        ControlException e = assertThrows(ControlException.class, () -> RestoreScript.apply(
                "-A -t 192.0.2.1:80\n\n-a -t 192.0.2.1:80 -r 198.51.100.2 -w 70000\n", "farm.rules", director, parser));
        assertEquals("farm.rules:3: illegal weight specified: '70000' (expected an integer 0..65535)", e.getMessage());
        assertTrue(director.calls.isEmpty(), director.calls::toString);
    }

    @Test
    void shouldStopAtTheFirstRefusedLineAndNameIt() {
        FakeDirector director = new FakeDirector();
        ControlException e = assertThrows(ControlException.class, () -> RestoreScript.apply(
                "-A -t 192.0.2.1:80\n-A -t 192.0.2.1:80\n-C\n", "farm.rules", director, parser));
        assertEquals("farm.rules:2: Service already exists", e.getMessage());
        assertEquals(List.of("addService", "addService"), director.calls.stream().map(c -> c.split(" ")[0]).toList());
    }

    @Test
    void shouldRefuseListingsInsideAScript() {
        ControlException e = assertThrows(ControlException.class,
                () -> RestoreScript.apply("-L -n\n", "farm.rules", new FakeDirector(), parser));
        assertEquals("farm.rules:1: only -A -E -D -C -a -e -d -P -Q -Z and --set belong in a restore script, not `-L -n'",
                e.getMessage());
    }

    @Test
    void shouldAnswerRestoreFailuresWithIpvsadmStatus() {
        FakeDirector director = new FakeDirector();
        assertEquals(new Reply(2, "", "stdin:1: illegal weight specified: 'x' (expected an integer 0..65535)\n"),
                runner(director).run(List.of("-R"), "-a -t 192.0.2.1:80 -r 198.51.100.2 -w x\n"));
        assertEquals(new Reply(255, "", "stdin:1: Service not defined\n"),
                runner(director).run(List.of("-R"), "-a -t 192.0.2.1:80 -r 198.51.100.2\n"));
    }
}
