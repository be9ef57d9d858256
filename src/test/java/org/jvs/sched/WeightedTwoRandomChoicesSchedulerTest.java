package org.jvs.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvs.sched.LeastConnectionSchedulerTest.ints;
import static org.jvs.sched.Servers.get;
import static org.jvs.sched.Servers.sequence;
import static org.jvs.sched.Servers.service;

import java.util.random.RandomGenerator;

import org.jvs.service.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedTwoRandomChoicesSchedulerTest {

    @ParameterizedTest(name = "weights {0} inactive {1} draws {2} -> {3}")
    @CsvSource({
        // weights 1,2,3: draws 0..6 take A for 0-1, B for 2-3, C for 4-6; the lower overhead/weight wins,
        // the first draw on a tie
        "'1,2,3', '0,0,0', '0,4', A",
        "'1,2,3', '1,0,0', '0,4', C",
        "'1,2,3', '0,2,3', '4,2', C",
        "'1,2,3', '0,1,3', '4,2', B",
        "'1,2,3', '0,0,0', '6,3', C",
        "'0,2,0', '5,0,5', '0,2', B",
        "'0,0,0', '0,0,0', '0,0', -",
    })
    void shouldTakeLessLoadedOfTwoWeightedDraws(String weights, String inactive, String draws, String expected) {
        VirtualService service = service(new WeightedTwoRandomChoicesScheduler(new Scripted(ints(draws))), ints(weights));
        int[] i = ints(inactive);
        for (int s = 0; s < i.length; s++) {
            Servers.inactive(service.realServers().get(s), i[s]);
        }
        assertEquals(expected, sequence(service, 1));
    }

    @Test
    void shouldSkipOverloadedServerInBothDraws() {
        // A overloaded: the total is B + C = 5, draw 0-2 takes B, 3-5 C
        VirtualService service = service(new WeightedTwoRandomChoicesScheduler(new Scripted(0, 5)), 9, 2, 3);
        get(service, 'A').upperThreshold(1);
        Servers.inactive(get(service, 'A'), 1);
        get(service, 'A').updateOverload();
        assertEquals("B", sequence(service, 1));
    }

    @Test
    void shouldRepeatChoicesWithSameSeed() {
        String first = sequence(service(new WeightedTwoRandomChoicesScheduler(new java.util.SplittableRandom(7)), 1, 2, 3), 40);
        String second = sequence(service(new WeightedTwoRandomChoicesScheduler(new java.util.SplittableRandom(7)), 1, 2, 3), 40);
        assertEquals(first, second);
    }

    /** Returns the given draws in turn, checking each is within the bound the scheduler asked for. */
    private static final class Scripted implements RandomGenerator {
        private final int[] draws;
        private int next;

        Scripted(int... draws) {
            this.draws = draws;
        }

        @Override
        public long nextLong(long bound) {
            long draw = draws[next++];
            if (draw >= bound) {
                throw new AssertionError("draw " + draw + " outside [0, " + bound + ")");
            }
            return draw;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("the scheduler should draw with a bound");
        }
    }
}
