package org.jvs.conn;

import java.util.Arrays;

/**
 * Which persistence template controls which connection entry (IPVS's cp->control and n_control), and each
 * template's persistence timeout, over the connection table's ids. A template outlives the connections it
 * controls; this keeps the counts that decide it. Allocates nothing after construction.
 */
final class Templates {
    private static final long NS_PER_S = 1_000_000_000L;

    /** The template controlling a connection, or NONE. */
    private final int[] control;
    /** For a template: how many connections it controls. */
    private final int[] controlled;
    /** For a template: the persistence timeout it is re-armed with. */
    private final int[] timeoutS;

    Templates(int capacity) {
        control = new int[capacity];
        controlled = new int[capacity];
        timeoutS = new int[capacity];
        Arrays.fill(control, ConnectionTable.NONE);
    }

    /** A new entry: controls nothing and is controlled by nothing; {@code timeoutS} 0 for a connection. */
    void reset(int id, int timeoutS) {
        control[id] = ConnectionTable.NONE;
        controlled[id] = 0;
        this.timeoutS[id] = timeoutS;
    }

    void control(int id, int template) {
        control[id] = template;
        controlled[template]++;
    }

    /** The entry leaves the table: its template controls one connection less. */
    void release(int id) {
        int template = control[id];
        if (template != ConnectionTable.NONE) {
            controlled[template]--;
            control[id] = ConnectionTable.NONE;
        }
    }

    int controlledBy(int id) {
        return control[id];
    }

    int controlledCount(int template) {
        return controlled[template];
    }

    long timeoutNs(int template) {
        return timeoutS[template] * NS_PER_S;
    }
}
