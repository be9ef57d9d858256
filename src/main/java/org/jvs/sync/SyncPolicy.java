package org.jvs.sync;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.service.Protocol;

/**
 * When a master syncs a connection: the kernel's ip_vs_sync_conn_needed() with IPVS's default sysctls
 * (sync_threshold 3 and sync_period 50, sync_refresh_period 0, sync_persist_mode 0). A TCP connection is synced
 * in the states a backup must know (ESTABLISHED, FIN_WAIT, CLOSE, CLOSE_WAIT, TIME_WAIT): at once when it enters
 * one other than ESTABLISHED, otherwise on its 3rd client packet and every 50th after (53, 103, ...), which is
 * also when a new ESTABLISHED connection is first synced; UDP alike by its packet count. A template is synced
 * every time a connection it controls is.
 */
public final class SyncPolicy {
    public static final int THRESHOLD = 3;
    public static final int PERIOD = 50;

    private static final int SYNCED_TCP_STATES = 1 << TcpState.ESTABLISHED | 1 << TcpState.FIN_WAIT
            | 1 << TcpState.CLOSE | 1 << TcpState.CLOSE_WAIT | 1 << TcpState.TIME_WAIT;

    private SyncPolicy() {
    }

    /**
     * Whether entry {@code id}, which has seen {@code packets} client packets, is to be synced now; when it is, its
     * state is remembered as the one last synced.
     */
    public static boolean needed(ConnectionTable connections, int id, int packets) {
        if (connections.template(id)) {
            return true;
        }
        int state = connections.state(id);
        if (connections.protocol(id) == Protocol.TCP) {
            if ((1 << state & SYNCED_TCP_STATES) == 0) {
                return false;
            }
            if (state != connections.syncedState(id) && state != TcpState.ESTABLISHED) {
                connections.syncedState(id, state);
                return true;
            }
        }
        if (packets % PERIOD != THRESHOLD) {
            return false;
        }
        connections.syncedState(id, state);
        return true;
    }
}
