package org.jvs.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks a command line the way popt does for ipvsadm: short options may be clustered (-Ln, -p600), long
 * options take "=value" or the next word, an optional argument is never a word starting with '-', words that
 * are not options are kept aside as leftover arguments, and "--" ends the options. "-b" is both upstream
 * ipvsadm's scheduler flags (with a word) and DPVS's full NAT (alone).
 */
final class PoptScanner {

    /**
     * One option as typed: {@code spelling} is its own name ("-t" even inside "-At", or "--tcp-service"), the
     * way an error should name it.
     */
    record Occurrence(IpvsadmOption option, String argument, String spelling) {
        /** The option and its argument as one token for messages: "-w 5", "-c". */
        String given() {
            return argument == null ? spelling : spelling + " " + argument;
        }
    }

    /** A popt error, as one line naming the word at fault and what was expected instead. */
    static final class PoptError extends Exception {
        private static final long serialVersionUID = 1L;

        PoptError(String message) {
            super(message, null, false, false);
        }
    }

    private final List<String> words;
    private final List<String> leftovers = new ArrayList<>();
    private int next;
    private String cluster;
    private int clusterPosition;
    private String clusterToken;
    private boolean optionsEnded;

    PoptScanner(List<String> words) {
        this.words = words;
    }

    /** The next option, or null when the command line is exhausted. */
    Occurrence next() throws PoptError {
        if (cluster != null) {
            return nextInCluster();
        }
        while (next < words.size()) {
            String word = words.get(next++);
            if (optionsEnded || word.length() < 2 || word.charAt(0) != '-') {
                leftovers.add(word);
            } else if (word.equals("--")) {
                optionsEnded = true;
            } else if (word.startsWith("--")) {
                return longOption(word);
            } else {
                cluster = word.substring(1);
                clusterPosition = 0;
                clusterToken = word;
                return nextInCluster();
            }
        }
        return null;
    }

    /** Words that were not options, in order; complete only once {@link #next} returned null. */
    List<String> leftovers() {
        return leftovers;
    }

    private Occurrence longOption(String word) throws PoptError {
        int equals = word.indexOf('=');
        String name = equals < 0 ? word.substring(2) : word.substring(2, equals);
        IpvsadmOption option = IpvsadmOption.byLongName(name);
        if (option == null) {
            String near = IpvsadmOption.nearestLongName(name);
            throw new PoptError("unknown option '" + word + "' (expected "
                    + (near == null ? "an option listed by " + IpvsadmParser.PROGRAM + " -h" : "--" + near) + ")");
        }
        // no string concatenation on jvsadm's path: its first use costs each jvsadm tens of ms of bootstrapping
        String spelling = equals < 0 ? word : word.substring(0, equals);
        if (option.argument() == IpvsadmOption.Argument.NONE) {
            if (equals >= 0) {
                throw new PoptError("option does not take an argument: '" + word + "' (expected " + spelling
                        + " alone)");
            }
            return new Occurrence(option, null, spelling);
        }
        if (equals >= 0) {
            return new Occurrence(option, word.substring(equals + 1), spelling);
        }
        return new Occurrence(option, followingArgument(option, spelling), spelling);
    }

    private Occurrence nextInCluster() throws PoptError {
        char name = cluster.charAt(clusterPosition++);
        String spelling = String.valueOf(new char[] {'-', name});
        String rest = cluster.substring(clusterPosition);
        boolean last = rest.isEmpty();
        IpvsadmOption option = IpvsadmOption.byShortName(name);
        if (option == null) {
            cluster = null;
            throw new PoptError("unknown option '" + spelling + "'"
                    + (clusterToken.equals(spelling) ? "" : " in '" + clusterToken + "'")
                    + " (expected an option listed by " + IpvsadmParser.PROGRAM + " -h)");
        }
        if (option == IpvsadmOption.FULLNAT && (!last || nextIsArgument())) {
            // upstream ipvsadm's "-b FLAGS" (--sched-flags) beside DPVS's bare "-b" (--fullnat): a word after -b
            // can only be its flags, as no ipvsadm option takes a positional word
            option = IpvsadmOption.SCHED_FLAGS;
        }
        if (option.argument() == IpvsadmOption.Argument.NONE) {
            if (last) {
                cluster = null;
            }
            return new Occurrence(option, null, spelling);
        }
        cluster = null;
        if (!last) {
            return new Occurrence(option, rest, spelling);
        }
        return new Occurrence(option, followingArgument(option, spelling), spelling);
    }

    private boolean nextIsArgument() {
        return !optionsEnded && next < words.size() && !words.get(next).startsWith("-");
    }

    private String followingArgument(IpvsadmOption option, String spelling) throws PoptError {
        if (next >= words.size()) {
            if (option.argument() == IpvsadmOption.Argument.OPTIONAL) {
                return null;
            }
            throw new PoptError("missing argument for '" + spelling + "' (expected " + option.expectedArgument() + ")");
        }
        String word = words.get(next);
        if (option.argument() == IpvsadmOption.Argument.OPTIONAL && word.startsWith("-")) {
            return null;
        }
        next++;
        return word;
    }
}
