package org.jvs.sched;

/**
 * The scheduler flags of ipvsadm -b as bits. IPVS has three generic bits (IP_VS_SVC_F_SCHED1..3) that each
 * hashing scheduler names for itself, so sh-fallback and mh-fallback are the same bit, as are sh-port and
 * mh-port.
 */
final class SchedulerFlags {
    /** IP_VS_SVC_F_SCHED1: sh-fallback / mh-fallback, look further when the hashed server is unavailable. */
    static final int FALLBACK = 1;
    /** IP_VS_SVC_F_SCHED2: sh-port / mh-port, hash the client port along with its address. */
    static final int PORT = 2;
    /** IP_VS_SVC_F_SCHED3: named but unused by every scheduler. */
    static final int FLAG_3 = 4;

    private SchedulerFlags() {
    }

    /**
     * Bits of a comma-separated list such as "sh-fallback,sh-port". Unknown words are left out: the control
     * plane validates what users type, and a scheduler should not fail a service over a flag it ignores.
     */
    static int parse(String flags) {
        int bits = 0;
        if (flags == null) {
            return bits;
        }
        for (String flag : flags.split(",")) {
            bits |= switch (flag.trim()) {
                case "flag-1", "sh-fallback", "mh-fallback" -> FALLBACK;
                case "flag-2", "sh-port", "mh-port" -> PORT;
                case "flag-3" -> FLAG_3;
                default -> 0;
            };
        }
        return bits;
    }
}
