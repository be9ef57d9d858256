package org.jvs.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.jvs.sched.SchedulerRegistry;

/**
 * Listings against golden files under src/test/resources/ctl/, written from ipvsadm 1.31's printf formats.
 * Set -Djvs.ctl.writeGolden=/path/to/src/test/resources/ctl to regenerate them (then review every byte).
 */
class IpvsadmFormatterTest {
    private final CommandRunner runner = new CommandRunner(Scenario.director(),
            new IpvsadmParser(SchedulerRegistry.names(), Scenario.NAMES), new IpvsadmFormatter(Scenario.NAMES));

    @ParameterizedTest(name = "jvsadm {0}")
    @CsvSource(delimiter = '|', value = {
        "-L -n                          | list-numeric.txt",
        "-L                             | list-names.txt",
        "''                             | list-names.txt",
        "-L -n --stats                  | list-stats.txt",
        "-L -n --stats --exact          | list-stats-exact.txt",
        "-L -n --rate                   | list-rate.txt",
        "-L -n --rate --exact           | list-rate-exact.txt",
        "-L -n --thresholds             | list-thresholds.txt",
        "-L -n --persistent-conn        | list-persistent-conn.txt",
        "-L -n --tun-info               | list-tun-info.txt",
        "-L -n --nosort                 | list-nosort.txt",
        "-L -n --sort                   | list-numeric.txt",
        "-L -n -t 192.0.2.1:80          | list-service.txt",
        "-S -n                          | save-numeric.txt",
        "-S                             | save-names.txt",
        "-L -c -n                       | connections-numeric.txt",
        "-L -c                          | connections-names.txt",
        "-L -c -n --persistent-conn     | connections-persistent-conn.txt",
        "-L --timeout                   | timeout.txt",
    })
    void shouldPrintListingsByteForByteAsIpvsadm(String commandLine, String golden) throws IOException {
        Reply reply = runner.run(Scenario.words(commandLine), null);
        String writeTo = System.getProperty("jvs.ctl.writeGolden");
        if (writeTo != null) {
            Files.writeString(Path.of(writeTo, golden), reply.stdout());
        }
        assertEquals(new Reply(0, golden(golden), ""), reply);
    }

    @Test
    void shouldPrintNothingForDaemonsAsJvsRunsNone() {
        assertEquals(new Reply(0, "", ""), runner.run(Scenario.words("-L --daemon"), null));
    }

    @ParameterizedTest(name = "{0} scaled -> {1}/s")
    @CsvSource({"0, 0", "511, 0", "512, 0", "513, 1", "7680, 7", "8192, 8"})
    void shouldRoundConnectionAndPacketRatesAsTheKernel(long scaled, long perSecond) {
        assertEquals(perSecond, IpvsadmFormatter.perSecond(scaled));
    }

    @ParameterizedTest(name = "{0} scaled -> {1} B/s")
    @CsvSource({"0, 0", "15, 0", "16, 0", "17, 1", "320, 10"})
    void shouldRoundByteRatesAsTheKernel(long scaled, long perSecond) {
        assertEquals(perSecond, IpvsadmFormatter.bytesPerSecond(scaled));
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "0                | '        0'",
        "99999999         | ' 99999999'",
        "100000000        | '  100000K'",
        "999999999        | '  999999K'",
        "1000000000       | '    1000M'",
        "99999999999      | '   99999M'",
        "100000000000     | '     100G'",
        "99999999999999   | '   99999G'",
        "100000000000000  | '     100T'",
    })
    void shouldScaleLargeNumbersAsIpvsadm(long value, String printed) {
        StringBuilder out = new StringBuilder();
        IpvsadmFormatter.largeNumber(out, value, ListFormat.NUMERIC);
        assertEquals(printed, out.toString());
    }

    @ParameterizedTest(name = "{0} --exact -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "5                | '        5'",
        "12345678         | ' 12345678'",
        "123456789        | ' 123456789'",
        "100000000000000  | ' 100000000000000'",
    })
    void shouldWidenExactNumbersAsIpvsadm(long value, String printed) {
        StringBuilder out = new StringBuilder();
        IpvsadmFormatter.largeNumber(out, value, new ListFormat(true, true, false, true, false, false, false, false));
        assertEquals(printed, out.toString());
    }

    static String golden(String name) throws IOException {
        try (InputStream in = IpvsadmFormatterTest.class.getResourceAsStream("/ctl/" + name)) {
            if (in == null) {
                return "<missing golden file " + name + ">";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
