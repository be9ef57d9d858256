package org.jvs.check;

/** Told when a watched server's health changes; called from checker threads, one call at a time per server. */
public interface HealthListener {

    /** The weight {@link #onWeightChange} passes to mean "the real server's configured weight again". */
    int CONFIGURED_WEIGHT = -1;

    /**
     * The server went up (every checker passes) or down (a checker failed retry + 1 times in a row: its regular
     * check and then every retry). {@code reason} is the deciding checker's kind and result, "TCP_CHECK: connect
     * refused".
     */
    void onHealthChange(String server, boolean up, String reason);

    /**
     * A misc_dynamic MISC_CHECK asked for a new weight (its exit code - 2), or {@link #CONFIGURED_WEIGHT}: a
     * checker that had asked for one passed with exit 0, or failed for good, so its weight no longer counts.
     * A weight asked by a pass comes before the {@link #onHealthChange} that pass causes; the return to the
     * configured weight after a failure comes after it.
     */
    void onWeightChange(String server, int weight);

    /**
     * A checker's first decided result left it as it started: a pass when the server started up, a failure
     * (retries used up) when it started down ({@link CheckedServer#startsUp} false). Once per checker per
     * {@code watch}; no {@link #onHealthChange} comes with it. keepalived runs a notify script here.
     */
    default void onFirstCheck(String server, boolean up, String reason) {
    }
}
