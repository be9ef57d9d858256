package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TimerWheelPropertiesTest {
    private static final int IDS = 16;
    private static final long S = 1_000_000_000L;

    /** One step: kind 0 starts or re-arms an id, kind 1 lets time pass and expires; amounts in ms. */
    record Step(int kind, int id, long delayMs) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> arm = Arbitraries.integers().between(0, IDS - 1).flatMap(id -> Arbitraries.longs()
                .between(0, 2_500_000).map(delayMs -> new Step(0, id, delayMs)));
        Arbitrary<Step> wait = Arbitraries.longs().between(0, 1_500_000).map(delayMs -> new Step(1, 0, delayMs));
        return Arbitraries.oneOf(arm, wait).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void shouldExpireExactlyTheIdsThatAreDue(@ForAll("steps") List<Step> steps, @ForAll boolean negativeClock) {
        TimerWheel wheel = new TimerWheel(IDS);
        long[] expiresAtNs = new long[IDS];
        boolean[] armed = new boolean[IDS];
        long now = negativeClock ? -7_777 * S : 12_345 * S;
        for (Step step : steps) {
            if (step.kind() == 0) {
                long at = now + step.delayMs() * 1_000_000L;
                if (armed[step.id()]) {
                    wheel.rearm(step.id(), at);
                } else {
                    wheel.add(step.id(), at);
                    armed[step.id()] = true;
                }
                expiresAtNs[step.id()] = at;
            } else {
                now += step.delayMs() * 1_000_000L;
                List<Integer> expired = new ArrayList<>();
                wheel.expire(now, Integer.MAX_VALUE, expired::add);
                List<Integer> due = new ArrayList<>();
                for (int id = 0; id < IDS; id++) {
                    if (armed[id] && expiresAtNs[id] <= now) {
                        due.add(id);
                        armed[id] = false;
                    }
                }
                expired.sort(null);
                assertEquals(due, expired, "at " + now);
            }
        }
    }
}
