package org.jvs.sched;

import org.jvs.service.Ipv6;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/**
 * One IPVS scheduling algorithm (struct ip_vs_scheduler). {@link #schedule} runs on the data-plane thread for
 * every new connection and must not allocate. A scheduler instance belongs to one virtual service, so it may
 * keep per-service state (a round-robin cursor, a hash table).
 */
public interface Scheduler {

    /** The name users type after {@code -s} and see in {@code -L}. */
    String name();

    /**
     * Picks the real server for a new connection, or null when none may take it (all quiesced with weight 0,
     * overloaded or removed). Addresses are IPv4 ints, ports unsigned.
     */
    RealServer schedule(VirtualService service, int clientAddress, int clientPort, int virtualAddress, int virtualPort);

    /**
     * As {@link #schedule} for an IPv6 client of an IPv6 service, each address as two longs. The default is the
     * IPv4 choice with every address folded to 32 bits ({@link Ipv6#fold}): IPVS's sh, dh and mh hash an IPv6
     * address exactly as they hash an IPv4 one, with its addr_fold in its place (ip_vs_sh_hashkey, ip_vs_dh_hashkey,
     * ip_vs_mh_hashkey; mh folds its servers' addresses alike, {@link RealServer#address()}), and the other
     * schedulers read no address. A scheduler that keys state by the whole address (lblc, lblcr) overrides it.
     */
    default RealServer schedule6(VirtualService service, long clientHi, long clientLo, int clientPort,
                                 long virtualHi, long virtualLo, int virtualPort) {
        return schedule(service, Ipv6.fold(clientHi, clientLo), clientPort, Ipv6.fold(virtualHi, virtualLo),
                virtualPort);
    }

    /**
     * What {@link #schedule} would choose now for this client, and why, without changing any state of this
     * scheduler (so a second explain, or the next real connection, sees the same). For {@code ./jvs explain}, off
     * the hot path. A scheduler that cannot tell says so (not exact, no server).
     */
    default SchedulerChoice explain(VirtualService service, ExplainedFlow flow) {
        return new SchedulerChoice(null, false, java.util.List.of(name() + ": cannot tell its choice in advance"));
    }

    /** Called after real servers were added, removed or re-weighted (IPVS's add_dest/del_dest/upd_dest). */
    default void realServersChanged(VirtualService service) {
    }

    /**
     * The position in its sequence that copies of this scheduler on several data-plane workers share, so that
     * together they keep one sequence (rr's, wrr's), or null when its choices need no shared position (they are
     * a function of the configuration and the shared connection counts, or random).
     */
    default Object sharedState() {
        return null;
    }

    /**
     * Makes this copy, on another worker, use {@code state}, the {@link #sharedState()} of the copy that made it:
     * this one then only follows it, leaving its adjustment at configuration changes to that copy (every worker
     * applies the same changes, the copy that made the state first).
     */
    default void shareState(Object state) {
    }
}
