package org.jvs.sched;

import java.util.List;

import org.jvs.service.RealServer;

/**
 * What a scheduler would choose for a new connection now, and why, found without changing any of its state (no
 * cursor moved, no locality entry added, no random number drawn): {@code server} null when it would choose none.
 * {@code exact} says whether the next connection from that client would really get this server if nothing changed
 * in between: true for every scheduler whose choice is a function of its configuration, its position and the
 * connection counts; false for twos (random draws) and lblc/lblcr (their table's expiry is not run by a peek).
 * For {@code ./jvs explain}; off the hot path, so it may allocate.
 */
public record SchedulerChoice(RealServer server, boolean exact, List<String> reasons) {

    public SchedulerChoice {
        reasons = List.copyOf(reasons);
    }

    /** {@code 192.0.2.11:80 weight 1, active 2, inactive 0}: a server as the least-connection rules see it. */
    public static String load(RealServer server) {
        return endpoint(server) + " weight " + server.weight() + ", active " + server.activeLoad() + ", inactive "
                + (server.overhead() - 256 * server.activeLoad()) + eligibility(server);
    }

    /** {@code 192.0.2.11:80}, or {@code [2001:db8::11]:80}. */
    public static String endpoint(RealServer server) {
        return server.toString();
    }

    /** Why a server may not take a connection, or nothing. */
    static String eligibility(RealServer server) {
        if (!server.available()) {
            return " (removed)";
        }
        if (server.weight() <= 0) {
            return " (quiesced: weight 0)";
        }
        return server.overloaded() ? " (overloaded: over its upper threshold)" : "";
    }

    /** A line per real server of the service, in list order, with their loads. */
    static void loads(List<RealServer> servers, List<String> into) {
        for (RealServer server : servers) {
            into.add("  " + load(server));
        }
    }

    /** "-> 192.0.2.11:80" or that none may take it. */
    /**
     * A locality scheduler's last step (lblc, lblcr): the server it kept for the destination, or else what wlc
     * chooses, with the reasons of both. Not exact: the peek runs none of the table's expiry.
     */
    static SchedulerChoice keptOrElse(RealServer kept, List<String> reasons,
                                      java.util.function.Supplier<SchedulerChoice> otherwise) {
        if (kept != null) {
            reasons.add(verdict(kept));
            return new SchedulerChoice(kept, false, reasons);
        }
        SchedulerChoice other = otherwise.get();
        reasons.addAll(other.reasons());
        return new SchedulerChoice(other.server(), false, reasons);
    }

    static String verdict(RealServer chosen) {
        return chosen == null ? "-> no real server may take it (all quiesced, overloaded or removed)"
                : "-> " + endpoint(chosen);
    }
}
