package org.jvs.api;

/**
 * The -b scheduler flags: IPVS keeps three bits (IP_VS_SVC_F_SCHED1..3) whose names depend on the scheduler,
 * and ipvsadm lists them in bit order. Parsing to bits and back gives the text a listing would show (and a
 * {@link ServiceSpec} carries). jvsadm's -b and the REST API's schedulerFlags both go through here.
 */
public final class SchedulerFlagNames {
    private static final String[] GENERIC = {"flag-1", "flag-2", "flag-3"};
    private static final String[] SH = {"sh-fallback", "sh-port"};
    private static final String[] MH = {"mh-fallback", "mh-port"};

    private SchedulerFlagNames() {
    }

    /**
     * ipvsadm's parse_sched_flags() then print_sched_flags(): the flags as -L and -S would print them. A comma-separated
     * list of names; an unknown name, or one of another scheduler, is refused with an IllegalArgumentException saying
     * what was expected.
     */
    public static String canonical(String scheduler, String argument) {
        int bits = 0;
        for (String flag : argument.split(",", -1)) {
            if (flag.isEmpty()) {
                continue;
            }
            bits |= bit(scheduler, flag);
        }
        String[] names = switch (scheduler) {
            case "sh" -> SH;
            case "mh" -> MH;
            default -> GENERIC;
        };
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((bits & (1 << i)) != 0) {
                text.append(text.isEmpty() ? "" : ",").append(names[i]);
            }
        }
        return text.toString();
    }

    private static int bit(String scheduler, String flag) {
        int index = indexOf(GENERIC, flag);
        if (index >= 0) {
            return 1 << index;
        }
        for (String[] family : new String[][] {SH, MH}) {
            index = indexOf(family, flag);
            if (index >= 0) {
                if (!scheduler.equals(family[0].substring(0, 2))) {
                    throw new IllegalArgumentException("incompatible scheduler flag '" + flag + "' (expected with -s "
                            + family[0].substring(0, 2) + ", not " + scheduler + ")");
                }
                return 1 << index;
            }
        }
        throw new IllegalArgumentException("invalid scheduler flag '" + flag + "' (expected " + String.join(",", GENERIC)
                + " or, with -s sh|mh, " + String.join(",", SH) + "|" + String.join(",", MH) + ")");
    }

    private static int indexOf(String[] names, String flag) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(flag)) {
                return i;
            }
        }
        return -1;
    }
}
