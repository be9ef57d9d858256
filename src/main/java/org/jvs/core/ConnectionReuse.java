package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.packet.TcpHeader;
import org.jvs.service.RealServer;

/**
 * IPVS's rule for a SYN that finds a connection entry (ip_vs_in with conn_reuse_mode 1, its default): a client
 * that reuses its source port starts a new connection, which is scheduled afresh instead of following the old
 * one when the old one is over (TIME_WAIT or CLOSE, is_new_conn_expected) or, with expire_nodest_conn, when its
 * real server has weight 0 or was removed. An entry under a persistence template stays: the template decides.
 */
final class ConnectionReuse {
    private ConnectionReuse() {
    }

    /** Whether the client's TCP segment with {@code tcpFlags} ends entry {@code id} and is to be scheduled anew. */
    static boolean reschedules(ConnectionTable connections, int id, int tcpFlags, boolean expireNodestConn) {
        if ((tcpFlags & TcpHeader.SYN) == 0 || connections.controlledBy(id) != ConnectionTable.NONE) {
            return false;
        }
        RealServer server = connections.realServer(id);
        if (expireNodestConn && (server.weight() == 0 || !server.available())) {
            return true;
        }
        int state = connections.state(id);
        return state == TcpState.TIME_WAIT || state == TcpState.CLOSE;
    }
}
