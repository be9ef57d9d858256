package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvs.conn.ConnectionTable;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.ProxyProtocolHeader;
import org.jvs.xmit.ProxyProtocolInserter;

/**
 * The PROXY protocol step of the director's data path, for connections scheduled with a version: client frames
 * get the header or their sequence moved before the NAT or full-NAT rewrite, replies get their acknowledgements
 * moved back. Received frames sit in ring slots (or a test's buffer) with no promise of room behind them, so the
 * one frame of a connection that grows, its first data segment (or a retransmission of it), is copied into a
 * scratch buffer of this step's own and sent from there. Data-plane thread only; allocates nothing per frame.
 */
final class ProxyProtocolStep {
    private static final int SCRATCH_LENGTH = EthernetHeader.LENGTH + Ipv6Header.LENGTH + Ipv6Header.MAX_PAYLOAD_LENGTH;

    private final ConnectionTable connections;
    private final Counters counters;
    private final ProxyProtocolInserter inserter = new ProxyProtocolInserter();
    private final MemorySegment scratch = Arena.ofAuto().allocate(SCRATCH_LENGTH, Long.BYTES);
    private final Ipv6Connection ipv6 = new Ipv6Connection();

    /** An IPv6 connection's header (a NAT66, full-NAT or NAT64 one, whose client and VIP are IPv6). */
    private final class Ipv6Connection implements ProxyProtocolInserter.Header {
        int id;

        Ipv6Connection of(int id) {
            this.id = id;
            return this;
        }

        @Override
        public int length() {
            return ProxyProtocolHeader.length6(connections.proxyProtocol(id), connections.clientHi(id),
                    connections.clientLo(id), connections.clientPort(id), connections.virtualHi(id),
                    connections.virtualLo(id), connections.virtualPort(id));
        }

        @Override
        public void write(MemorySegment segment, long offset) {
            ProxyProtocolHeader.write6(connections.proxyProtocol(id), segment, offset, connections.clientHi(id),
                    connections.clientLo(id), connections.clientPort(id), connections.virtualHi(id),
                    connections.virtualLo(id), connections.virtualPort(id));
        }
    }

    ProxyProtocolStep(ConnectionTable connections, Counters counters) {
        this.connections = connections;
        this.counters = counters;
    }

    /** How many bytes the client frame of connection {@code id} grows by on its way out; 0 for most. */
    int growth(int id, MemorySegment frame, long offset, int length) {
        int version = connections.proxyProtocol(id);
        if (version == 0) {
            return 0;
        }
        if (connections.ipv6(id)) {
            return inserter.growth(frame, offset, length, connections.clientIsn(id), ipv6.of(id));
        }
        return inserter.growth(frame, offset, length, connections.clientIsn(id), version,
                connections.clientAddress(id), connections.clientPort(id), connections.virtualAddress(id),
                connections.virtualPort(id));
    }

    /** Copies a frame that is about to grow into the scratch buffer, which then has room for any header. */
    MemorySegment copyToScratch(MemorySegment frame, long offset, int length) {
        MemorySegment.copy(frame, offset, scratch, 0, length);
        return scratch;
    }

    /**
     * Client to real server: the frame's length to send (grown when the header went in), or -1, counted, when
     * the frame cannot be adjusted and must be dropped. A frame that grows must be in the scratch buffer.
     */
    int toRealServer(int id, MemorySegment frame, long offset, int length, int flags) {
        int version = connections.proxyProtocol(id);
        if (version == 0) {
            return length;
        }
        int sent = connections.ipv6(id)
                ? inserter.toRealServer(frame, offset, length, flags, connections.clientIsn(id), ipv6.of(id))
                : inserter.toRealServer(frame, offset, length, flags, connections.clientIsn(id), version,
                        connections.clientAddress(id), connections.clientPort(id), connections.virtualAddress(id),
                        connections.virtualPort(id));
        if (sent == ProxyProtocolInserter.MALFORMED) {
            counters.increment(Counter.DROP_PROXY_MALFORMED);
            return -1;
        }
        if (sent > length) {
            counters.increment(Counter.PROXY_HEADERS_INSERTED);
        }
        return sent;
    }

    /** Real server to client: false, counted, when the reply cannot be adjusted and must be dropped. */
    boolean toClient(int id, MemorySegment frame, long offset, int length, int flags) {
        int version = connections.proxyProtocol(id);
        if (version == 0) {
            return true;
        }
        int headerLength = connections.ipv6(id) ? ipv6.of(id).length() : ProxyProtocolHeader.length(version,
                connections.clientAddress(id), connections.clientPort(id), connections.virtualAddress(id),
                connections.virtualPort(id));
        if (inserter.toClient(frame, offset, length, flags, connections.clientIsn(id), headerLength)) {
            return true;
        }
        counters.increment(Counter.DROP_PROXY_MALFORMED);
        return false;
    }
}
