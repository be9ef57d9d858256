package org.jvs.check;

/** Told when a watched server's health changes; called from checker threads, one call at a time per server. */
public interface HealthListener {

    /**
     * The server went up (every checker passes) or down (a checker failed retry + 1 times in a row: its regular
     * check and then every retry). {@code reason} is the deciding checker's kind and result, "TCP_CHECK: connect
     * refused".
     */
    void onHealthChange(String server, boolean up, String reason);

    /** A misc_dynamic MISC_CHECK asked for a new weight (its exit code - 2). */
    void onWeightChange(String server, int weight);
}
