package org.jvs.check;

/**
 * The outcome of one check: pass or fail, with a short reason a human reads in {@code ./jvs status}
 * ("connect refused", "status 503", "timeout after 3 s").
 *
 * @param up     whether the check passed
 * @param reason what was seen
 * @param weight a misc_dynamic weight asked for by a passing MISC_CHECK, else {@link #NO_WEIGHT}
 */
public record CheckResult(boolean up, String reason, int weight) {
    public static final int NO_WEIGHT = -1;

    public static CheckResult pass(String reason) {
        return new CheckResult(true, reason, NO_WEIGHT);
    }

    public static CheckResult fail(String reason) {
        return new CheckResult(false, reason, NO_WEIGHT);
    }

    /** A pass that also asks for a new weight (misc_dynamic exit code 2..255). */
    public static CheckResult passWithWeight(int weight, String reason) {
        return new CheckResult(true, reason, weight);
    }

    public boolean hasWeight() {
        return weight != NO_WEIGHT;
    }
}
