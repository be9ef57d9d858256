package org.jvs.core;

import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.packet.TcpHeader;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;

/**
 * IPVS's rules for a client packet that finds a connection entry but starts a new connection (ip_vs_in): with
 * expire_nodest_conn, any packet of a connection whose real server was removed (Linux 5.9 on; before, the packet
 * was dropped); and, with conn_reuse_mode 1 (its default), a SYN on a connection that is over (TIME_WAIT or CLOSE,
 * is_new_conn_expected) or, with expire_nodest_conn, whose real server has weight 0. An entry under a persistence
 * template keeps its SYN: the template decides.
 */
final class ConnectionReuse {
    private ConnectionReuse() {
    }

    /** Whether the client's packet ends entry {@code id} and is to be scheduled anew. */
    static boolean reschedules(ConnectionTable connections, int id, int protocol, int tcpFlags,
                               boolean expireNodestConn) {
        RealServer server = connections.realServer(id);
        if (expireNodestConn && !server.available()) {
            return true;
        }
        if (protocol != Protocol.TCP || (tcpFlags & TcpHeader.SYN) == 0
                || connections.controlledBy(id) != ConnectionTable.NONE) {
            return false;
        }
        if (expireNodestConn && server.weight() == 0) {
            return true;
        }
        int state = connections.state(id);
        return state == TcpState.TIME_WAIT || state == TcpState.CLOSE;
    }
}
