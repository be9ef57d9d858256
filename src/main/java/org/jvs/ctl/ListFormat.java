package org.jvs.ctl;

/** The listing options of -L and -S (ipvsadm's FMT_* flags). */
public record ListFormat(boolean numeric, boolean stats, boolean rate, boolean exact, boolean thresholds,
                         boolean persistentConnections, boolean noSort, boolean tunnelInfo) {

    /** Plain {@code -L}: names resolved, no counters. */
    public static final ListFormat PLAIN = new ListFormat(false, false, false, false, false, false, false, false);

    /** {@code -L -n} */
    public static final ListFormat NUMERIC = new ListFormat(true, false, false, false, false, false, false, false);
}
