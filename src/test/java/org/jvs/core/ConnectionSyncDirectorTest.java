package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.sync.SyncConnection;
import org.jvs.sync.SyncMessageReader;
import org.jvs.sync.SyncMessageWriter;
import org.jvs.sync.SyncOutbox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.RS2;
import static org.jvs.core.DirectorTest.RS2_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.DIRECTOR_SERVER_IP;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

/**
 * Connection sync between two directors of the same configuration, through the wire format: what the master's
 * data plane queues, sent as IPVS sync messages and entered by the backup, makes the backup forward the next
 * packets of every established connection byte for byte as the master would have - NAT both ways, full NAT with
 * its local port, PROXY protocol with its sequence offset, DR, and persistence templates - where a backup without
 * sync drops them (a mid-stream segment schedules nothing).
 */
class ConnectionSyncDirectorTest {
    static final int NAT = 80;
    static final int FULLNAT_PROXY = 81;
    static final int DR = 82;
    static final int PERSISTENT = 83;
    static final int LIP = ip(192, 0, 2, 100);
    static final int ISN = 0x11223344;
    static final long S = 1_000_000_000L;

    /** One director on its own in-memory host; both have the same addresses, as an HA pair's VIPs move. */
    static final class Node {
        final InMemoryHost host = new InMemoryHost();
        final Director director = new Director(host, host, KernelBypass.NONE, 4096);
        final DirectorConfig config = new DirectorConfig(director);

        Node() throws ControlException {
            director.now(S);
            service(NAT, ForwardingMethod.MASQ, 8080, 0);
            service(FULLNAT_PROXY, ForwardingMethod.FULLNAT, 8080, 2);
            config.addLocalAddress(new ServiceKey(Protocol.TCP, VIP, FULLNAT_PROXY), new LocalAddressSpec(LIP, ""));
            service(DR, ForwardingMethod.ROUTE, DR, 0);
            ServiceKey persistent = new ServiceKey(Protocol.TCP, VIP, PERSISTENT);
            config.addService(new ServiceSpec(persistent, "rr", "", 60, -1));
            config.addRealServer(persistent, new RealServerSpec(RS1, PERSISTENT, ForwardingMethod.ROUTE, 1, 0, 0));
            config.addRealServer(persistent, new RealServerSpec(RS2, PERSISTENT, ForwardingMethod.ROUTE, 1, 0, 0));
            feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
            feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, DIRECTOR_SERVER_IP));
            feed(SERVER_SIDE, Frames.arp(2, RS2_MAC, RS2, SERVER_SIDE_MAC, DIRECTOR_SERVER_IP));
            host.drain();
        }

        private void service(int port, ForwardingMethod method, int realPort, int proxy) throws ControlException {
            ServiceKey key = new ServiceKey(Protocol.TCP, VIP, port);
            config.addService(new ServiceSpec(key, "rr", "", 0, -1, false, proxy));
            config.addRealServer(key, new RealServerSpec(RS1, realPort, method, 1, 0, 0));
            config.addRealServer(key, new RealServerSpec(RS2, realPort, method, 1, 0, 0));
        }

        /** Feeds one frame; returns the frames the director sent for it. */
        List<InMemoryHost.Sent> feed(int ifindex, byte[] frame) {
            MemorySegment segment = Frames.nativeCopy(frame);
            director.onFrame(ifindex, segment, 0, frame.length, 0);
            return host.drain();
        }
    }

    static byte[] fromClient(int clientPort, int virtualPort, int tcpFlags, int afterIsn, int payloadLength) {
        return Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(clientPort, virtualPort)
                .sequence(ISN + afterIsn).tcpFlags(tcpFlags).payloadLength(payloadLength).bytes(),
                CLIENT_SIDE_MAC, CLIENT_MAC);
    }

    static byte[] fromServer(int server, int serverPort, int destination, int destinationPort, int tcpFlags) {
        return Frames.withMacs(new FrameBuilder().source(server).destination(destination)
                .ports(serverPort, destinationPort).tcpFlags(tcpFlags).payloadLength(100).bytes(),
                SERVER_SIDE_MAC, server == RS1 ? RS1_MAC : RS2_MAC);
    }

    /** SYN, ACK, and a first data segment: three client packets, after which IPVS first syncs a connection. */
    static List<InMemoryHost.Sent> open(Node node, int clientPort, int virtualPort) {
        node.feed(CLIENT_SIDE, fromClient(clientPort, virtualPort, TcpHeader.SYN, 0, 0));
        node.feed(CLIENT_SIDE, fromClient(clientPort, virtualPort, TcpHeader.ACK, 1, 0));
        return node.feed(CLIENT_SIDE, fromClient(clientPort, virtualPort, TcpHeader.ACK | TcpHeader.PSH, 1, 50));
    }

    /** Everything in {@code outbox}, through sync messages on the wire, entered by {@code backup}. */
    static List<SyncConnection> send(SyncOutbox outbox, Node backup) {
        MemorySegment message = Arena.ofAuto().allocate(SyncMessageWriter.payloadLength(1500));
        SyncMessageWriter writer = new SyncMessageWriter(message);
        List<SyncConnection> sent = new ArrayList<>();
        writer.reset(7);
        outbox.drain((memory, offset) -> {
            if (!writer.addEncoded(memory, offset)) {
                throw new AssertionError("more than one message in this test");
            }
        }, 10_000);
        SyncMessageReader.read(message.asSlice(0, writer.finish()), 7, sent::add);
        for (SyncConnection entry : sent) {
            backup.director.applySynced(entry);
        }
        return sent;
    }

    @Test
    void theBackupForwardsEveryMethodsEstablishedConnectionsAsTheMasterWould() throws ControlException {
        Node master = new Node();
        Node backup = new Node();
        Node unsynced = new Node();
        SyncOutbox outbox = new SyncOutbox(64 * 1024);
        master.director.syncTo(outbox);
        // two connections per service, so rr sends the second to RS2, where a fresh schedule would pick RS1
        int[] services = {NAT, FULLNAT_PROXY, DR, PERSISTENT};
        for (int service : services) {
            open(master, 40000, service);
            open(master, 40001, service);
        }

        List<SyncConnection> sent = send(outbox, backup);

        // eight connections and the persistent service's template (synced with each of its connections)
        assertThat(sent).hasSize(10);
        assertThat(backup.director.counters().get(Counter.SYNC_ENTRIES_APPLIED)).isEqualTo(10);
        assertThat(backup.director.connections().size()).isEqualTo(9);
        for (int service : services) {
            for (int clientPort : new int[] {40000, 40001}) {
                byte[] next = fromClient(clientPort, service, TcpHeader.ACK | TcpHeader.PSH, 51, 200);
                List<InMemoryHost.Sent> expected = master.feed(CLIENT_SIDE, next);
                assertThat(expected).as("the master forwards port %d of service %d", clientPort, service).hasSize(1);
                assertThat(backup.feed(CLIENT_SIDE, next)).as("the backup, port %d of service %d", clientPort, service)
                        .singleElement().satisfies(sent1 -> assertThat(sent1.frame())
                                .isEqualTo(expected.getFirst().frame()));
                assertThat(unsynced.feed(CLIENT_SIDE, next)).as("a backup without sync").isEmpty();
            }
        }
        // replies: NAT's to the client, full NAT's to the local address and port the master chose
        byte[] natReply = fromServer(RS2, 8080, CLIENT, 40001, TcpHeader.ACK);
        assertThat(backup.feed(SERVER_SIDE, natReply).getFirst().frame())
                .isEqualTo(master.feed(SERVER_SIDE, natReply).getFirst().frame());
        int fullNatConnection = master.director.connections().lookupIn(Protocol.TCP, CLIENT, 40001, VIP,
                FULLNAT_PROXY);
        int localPort = master.director.connections().localPort(fullNatConnection);
        byte[] fullNatReply = fromServer(RS2, 8080, LIP, localPort, TcpHeader.ACK);
        byte[] expectedReply = master.feed(SERVER_SIDE, fullNatReply).getFirst().frame();
        assertThat(Frames.ipDestination(expectedReply)).isEqualTo(CLIENT);
        assertThat(backup.feed(SERVER_SIDE, fullNatReply).getFirst().frame()).isEqualTo(expectedReply);
    }

    @Test
    void syncedEntriesTakeThePeersStateAndCountInTheRealServersConnections() throws ControlException {
        Node master = new Node();
        Node backup = new Node();
        SyncOutbox outbox = new SyncOutbox(64 * 1024);
        master.director.syncTo(outbox);
        open(master, 40000, NAT);

        send(outbox, backup);

        ConnectionTable table = backup.director.connections();
        int id = table.lookupIn(Protocol.TCP, CLIENT, 40000, VIP, NAT);
        assertThat(table.state(id)).isEqualTo(TcpState.ESTABLISHED);
        assertThat(table.expiresAtNs(id)).isEqualTo(S + 900 * S);
        assertThat(table.realServer(id).activeLoad()).isEqualTo(1);
        assertThat(backup.director.services().find(Protocol.TCP, VIP, NAT).stats.connections)
                .as("the backup scheduled nothing").isZero();
    }

    @Test
    void aConnectionIsSyncedOnItsThirdClientPacketAndOnEveryFiftiethAfter() throws ControlException {
        Node master = new Node();
        SyncOutbox outbox = new SyncOutbox(64 * 1024);
        master.director.syncTo(outbox);
        open(master, 40000, NAT);
        assertThat(master.director.counters().get(Counter.SYNC_ENTRIES_QUEUED)).isEqualTo(1);
        for (int packet = 4; packet <= 103; packet++) {
            master.feed(CLIENT_SIDE, fromClient(40000, NAT, TcpHeader.ACK, 51, 0));
        }
        assertThat(master.director.counters().get(Counter.SYNC_ENTRIES_QUEUED)).as("at 3, 53 and 103").isEqualTo(3);
        master.feed(CLIENT_SIDE, fromClient(40000, NAT, TcpHeader.ACK | TcpHeader.FIN, 51, 0));
        assertThat(master.director.counters().get(Counter.SYNC_ENTRIES_QUEUED))
                .as("a client FIN: entering CLOSE_WAIT is synced at once").isEqualTo(4);
    }

    @Test
    void aFullOutboxIsCountedAndAResyncGoesOnWhereItStopped() throws ControlException {
        Node master = new Node();
        SyncOutbox outbox = new SyncOutbox(1024);
        master.director.syncTo(outbox);
        for (int port = 40000; port < 40040; port++) {
            open(master, port, NAT);
        }
        long queued = master.director.counters().get(Counter.SYNC_ENTRIES_QUEUED);
        assertThat(master.director.counters().get(Counter.SYNC_QUEUE_FULL)).isEqualTo(40 - queued).isPositive();

        Node backup = new Node();
        send(outbox, backup);
        int next = 0;
        int rounds = 0;
        while (next >= 0 && rounds++ < 100) {
            next = master.director.queueAllForSync(next, 1 << 20);
            send(outbox, backup);
        }
        assertThat(next).as("the resync finished").isEqualTo(-1);
        assertThat(backup.director.connections().size()).isEqualTo(40);
    }

    @Test
    void entriesForAServiceTheBackupDoesNotHaveAreRefusedAndCounted() throws ControlException {
        Node backup = new Node();
        boolean applied = backup.director.applySynced(new SyncConnection(Protocol.TCP, SyncConnection.F_MASQ,
                TcpState.ESTABLISHED, CLIENT, 40000, VIP, 9999, RS1, 8080, 0, 900, null));
        assertThat(applied).isFalse();
        assertThat(backup.director.counters().get(Counter.SYNC_ENTRIES_REFUSED)).isEqualTo(1);
        assertThat(backup.director.connections().size()).isZero();
    }
}
