package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** jvsadm starts a JVM per command: what its process loads is what every command pays for. */
class JvsadmStartupTest {

    /** The classes jvsadm loads for {@code args}, as the JVM logs them. */
    private static String classLoadLog(String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[5 + args.length];
        command[0] = java;
        command[1] = "-Xlog:class+load=info";
        command[2] = "-cp";
        command[3] = System.getProperty("java.class.path");
        command[4] = "org.jvs.app.Jvsadm";
        System.arraycopy(args, 0, command, 5, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "jvsadm did not exit");
            return log;
        } finally {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "jvsadm {0}")
    @ValueSource(strings = {"-L -n", "-A -t www:http -w 3"})
    void shouldReadNoNameTablesAndLoadNoFormatterOrRegistryInTheClient(String commandLine) throws Exception {
        String log = classLoadLog(commandLine.split(" "));
        assertTrue(log.contains("] org.jvs.ctl.IpvsadmParser "), log);
        assertFalse(log.contains("] org.jvs.ctl.HostsAndServices "), "client read /etc/hosts and /etc/services");
        assertFalse(log.contains("] org.jvs.ctl.IpvsadmFormatter "), "client loaded the formatter");
        assertFalse(log.contains("] org.jvs.sched."), "client loaded the scheduler registry");
    }
}
