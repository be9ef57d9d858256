package org.jvs.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalPortRangeTest {

    @Test
    void shouldParseTheSysctlAsTheKernelWritesIt() {
        assertEquals(new LocalPortRange(32768, 60999), LocalPortRange.parse("32768\t60999\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "32768", "32768 60999 1", "low high"})
    void shouldRefuseTextThatIsNotTwoPorts(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalPortRange.parse(text));
        assertEquals("ip_local_port_range '" + text + "' is not two ports", e.getMessage());
    }

    @ParameterizedTest(name = "full-NAT {0}-{1} against 32768-60999 overlaps: {2}")
    @CsvSource({
            "1024, 32767, false",
            "61000, 65535, false",
            "1024, 32768, true",
            "60999, 65535, true",
            "40000, 41000, true",
            "1, 65535, true",
    })
    void shouldWarnOnlyWhenTheRangesShareAPort(int lowest, int highest, boolean overlaps) {
        String warning = new LocalPortRange(32768, 60999).overlapWarning(lowest, highest);
        if (overlaps) {
            assertEquals("jvs: warning: full-NAT ports " + lowest + "-" + highest
                    + " overlap net.ipv4.ip_local_port_range 32768-60999: replies to the host's own connections"
                    + " from a local address on those ports will be dropped", warning);
        } else {
            assertNull(warning);
        }
    }

    @Test
    void shouldNeverWarnWhenTheSysctlIsUnknown() {
        assertNull(LocalPortRange.UNKNOWN.overlapWarning(1, 65535));
    }
}
