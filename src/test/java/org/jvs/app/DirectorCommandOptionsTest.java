package org.jvs.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DirectorCommandOptionsTest {

    @Test
    void shouldDefaultTheFullNatPortsBelowTheKernelsEphemeralRange() {
        DirectorCommand.Options options = DirectorCommand.Options.parse(new String[0]);

        assertEquals(1024, options.fullNatLowestPort());
        assertEquals(32767, options.fullNatHighestPort());
    }

    @Test
    void shouldTakeAFullNatPortRange() {
        DirectorCommand.Options options = DirectorCommand.Options.parse(new String[] {"--fullnat-ports", "2000-2099"});

        assertEquals(2000, options.fullNatLowestPort());
        assertEquals(2099, options.fullNatHighestPort());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2000", "2000-", "-2000", "0-100", "100-99", "1-65536", "a-b", "1000-2000-3000"})
    void shouldRefuseABadRangeNamingIt(String range) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DirectorCommand.Options.parse(new String[] {"--fullnat-ports", range}));

        assertEquals("--fullnat-ports " + range + ": expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535, e.g. 1024-32767",
                refused.getMessage());
    }
}
