package org.jvs.check;

/** Told when a watched server's health changes; called from checker threads, one call at a time per server. */
public interface HealthListener {

    /** The server went up (every checker passes) or down (a checker failed {@code retry} times in a row). */
    void onHealthChange(String server, boolean up, String reason);

    /** A misc_dynamic MISC_CHECK asked for a new weight (its exit code - 2). */
    void onWeightChange(String server, int weight);
}
