package org.jvs.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Ipv6MapTest {
    /** Few distinct halves, so keys share halves and probe runs grow, wrap and are cut by removals. */
    record Step(boolean put, long hi, long lo, int value) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> halves = Arbitraries.of(0L, 1L, -1L, 0x2001_0db8_0000_0000L, 0xFFFF_0000_0000L, 7L << 61);
        return Combinators.combine(Arbitraries.of(true, true, false), halves, halves, Arbitraries.integers())
                .as(Step::new).list().ofMaxSize(100);
    }

    @Property(tries = 300)
    void shouldAgreeWithAHashMap(@ForAll("steps") List<Step> steps) {
        Ipv6Map<Integer> map = new Ipv6Map<>();
        Map<Ipv6, Integer> model = new HashMap<>();
        for (Step step : steps) {
            if (step.put()) {
                map.put(step.hi(), step.lo(), step.value());
                model.put(new Ipv6(step.hi(), step.lo()), step.value());
            } else {
                assertEquals(model.remove(new Ipv6(step.hi(), step.lo())), map.remove(step.hi(), step.lo()));
            }
            assertEquals(model.size(), map.size());
            for (Step probe : steps) {
                assertEquals(model.get(new Ipv6(probe.hi(), probe.lo())), map.get(probe.hi(), probe.lo()));
            }
        }
    }

    @Test
    void shouldForgetEverythingOnClear() {
        Ipv6Map<String> map = new Ipv6Map<>();
        for (int i = 0; i < 100; i++) {
            map.put(i, -i, "v" + i);
        }
        assertEquals("v42", map.get(42, -42));
        map.clear();
        assertTrue(map.isEmpty());
        assertNull(map.get(42, -42));
    }

    @Test
    void shouldRefuseANullValue() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Map<String>().put(1, 2, null));
    }
}
