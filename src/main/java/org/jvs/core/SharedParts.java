package org.jvs.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one configuration change that every worker's replica must share rather than make its own: a
 * scheduler's position in its sequence ({@link org.jvs.sched.Scheduler#sharedState()}) and a real server's
 * director-wide connection counts ({@link org.jvs.service.ServerLoad}). Worker 0 applies a change first and
 * records each part as it makes it; the other workers apply the same change and, at the same steps, take the
 * recorded parts instead. Every replica runs the same steps in the same order, so the n-th part asked for is the
 * n-th part made.
 */
final class SharedParts {
    /** A single worker: every part is its own. */
    static final SharedParts NONE = new SharedParts(null, false);

    private final List<Object> parts;
    private final boolean replaying;
    private int next;

    private SharedParts(List<Object> parts, boolean replaying) {
        this.parts = parts;
        this.replaying = replaying;
    }

    static SharedParts recording() {
        return new SharedParts(new ArrayList<>(), false);
    }

    /** The parts recorded so far, to be taken again from the start (one per other worker). */
    SharedParts replay() {
        return new SharedParts(parts, true);
    }

    /** {@code made} while recording (and remembered), else the part made at this step on worker 0. */
    @SuppressWarnings("unchecked")
    <T> T share(T made) {
        if (parts == null) {
            return made;
        }
        if (!replaying) {
            parts.add(made);
            return made;
        }
        if (next >= parts.size()) {
            throw new IllegalStateException("a worker's replica made more shared parts than worker 0's");
        }
        return (T) parts.get(next++);
    }
}
