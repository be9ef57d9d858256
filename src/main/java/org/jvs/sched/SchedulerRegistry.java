package org.jvs.sched;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The schedulers {@code -s} accepts, by name. Each service gets its own instance, as each keeps its own state. */
public final class SchedulerRegistry {
    private static final Map<String, Supplier<Scheduler>> FACTORIES = new LinkedHashMap<>();

    static {
        register("rr", RoundRobinScheduler::new);
        register("wrr", WeightedRoundRobinScheduler::new);
        register("lc", LeastConnectionScheduler::new);
        register("wlc", WeightedLeastConnectionScheduler::new);
        register("lblc", LocalityBasedLeastConnectionScheduler::new);
        register("lblcr", LocalityBasedLeastConnectionReplicationScheduler::new);
        register("dh", DestinationHashingScheduler::new);
        register("sh", SourceHashingScheduler::new);
        register("sed", ShortestExpectedDelayScheduler::new);
        register("nq", NeverQueueScheduler::new);
        register("fo", WeightedFailoverScheduler::new);
        register("ovf", WeightedOverflowScheduler::new);
        register("mh", MaglevHashingScheduler::new);
        register("twos", WeightedTwoRandomChoicesScheduler::new);
    }

    private SchedulerRegistry() {
    }

    private static void register(String name, Supplier<Scheduler> factory) {
        FACTORIES.put(name, factory);
    }

    /** A new scheduler for one service; throws IllegalArgumentException naming an unknown name. */
    public static Scheduler create(String name) {
        Supplier<Scheduler> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException(
                    "unknown scheduler '" + name + "' (expected one of " + String.join(", ", FACTORIES.keySet()) + ")");
        }
        return factory.get();
    }

    /** Known scheduler names in registration order. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }
}
