package org.jvs.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.conn.ConnectionTable;
import org.jvs.conn.TcpState;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.sync.SyncConnection;
import org.jvs.sync.SyncConnection6;
import org.jvs.sync.SyncMessageReader;
import org.jvs.sync.SyncMessageWriter;
import org.jvs.sync.SyncOutbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.core.Ipv6Rig.CLIENT6;
import static org.jvs.core.Ipv6Rig.LIP4;
import static org.jvs.core.Ipv6Rig.LIP6;
import static org.jvs.core.Ipv6Rig.RS6;
import static org.jvs.core.Ipv6Rig.RS6_MAC;
import static org.jvs.core.Ipv6Rig.VIP6;
import static org.jvs.core.Ipv6Rig.clientFrame;
import static org.jvs.core.Ipv6Rig.packet;
import static org.jvs.core.Ipv6Rig.serverFrame;

/**
 * Connection sync of IPv6 connections between two directors of the same configuration, through the wire format
 * (struct ip_vs_sync_v6 and JVS's option in its IPv6 form): the backup forwards the next packets of an established
 * NAT66 or full-NAT-over-IPv6 connection (with or without PROXY protocol) or NAT64 one, and its replies, byte for byte as the master,
 * and a persistent service's template with it (DR, NAT64).
 */
class Ipv6ConnectionSyncDirectorTest {
    static final int ISN = 0x11223344;
    /** Past 1260 bytes a NAT64 packet goes with DF and identification 0, the same from either director. */
    static final int NEXT_LENGTH = 1300;

    enum Method {
        NAT66, NAT66_PROXY, FULLNAT6, FULLNAT6_PROXY, NAT64, NAT64_PERSISTENT, DR_PERSISTENT;

        boolean nat64() {
            return this == NAT64 || this == NAT64_PERSISTENT;
        }

        boolean persistent() {
            return this == NAT64_PERSISTENT || this == DR_PERSISTENT;
        }
    }

    /** A director configured for {@code method}'s service VIP6:80 (TCP). */
    static Ipv6Rig node(Method method) throws ControlException {
        Ipv6Rig rig = new Ipv6Rig();
        ServiceKey key = new ServiceKey(Protocol.TCP, IpAddress.ofIpv6(VIP6), 80);
        int persistenceS = method.persistent() ? 300 : 0;
        int proxy = method == Method.FULLNAT6_PROXY || method == Method.NAT66_PROXY ? 1 : 0;
        rig.config.addService(new ServiceSpec(key, "rr", "", persistenceS, 128, false, proxy));
        IpAddress server = method.nat64() ? IpAddress.ofIpv4(RS1) : IpAddress.ofIpv6(RS6);
        ForwardingMethod forwarding = switch (method) {
            case NAT66, NAT66_PROXY -> ForwardingMethod.MASQ;
            case DR_PERSISTENT -> ForwardingMethod.ROUTE;
            default -> ForwardingMethod.FULLNAT;
        };
        rig.config.addRealServer(key, new RealServerSpec(server, method == Method.DR_PERSISTENT ? 80 : 8080,
                forwarding, 1, 0, 0));
        if (method == Method.FULLNAT6 || method == Method.FULLNAT6_PROXY) {
            rig.config.addLocalAddress(key, new LocalAddressSpec(IpAddress.ofIpv6(LIP6), ""));
        } else if (method.nat64()) {
            rig.config.addLocalAddress(key, new LocalAddressSpec(IpAddress.ofIpv4(LIP4), ""));
        }
        return rig;
    }

    static byte[] fromClient(int tcpFlags, int afterIsn, int payloadLength) {
        return clientFrame(packet(Protocol.TCP, CLIENT6, 40000, VIP6, 80).tcpFlags(tcpFlags).sequence(ISN + afterIsn)
                .payloadLength(payloadLength));
    }

    /** SYN, ACK and a first data segment: the third client packet syncs the connection. */
    static void open(Ipv6Rig rig) {
        rig.feed(CLIENT_SIDE, fromClient(TcpHeader.SYN, 0, 0));
        rig.feed(CLIENT_SIDE, fromClient(TcpHeader.ACK, 1, 0));
        rig.feed(CLIENT_SIDE, fromClient(TcpHeader.ACK | TcpHeader.PSH, 1, 50));
    }

    /** Everything in {@code outbox} through one sync message, read back; the IPv6 entries are entered by backup. */
    static List<SyncConnection6> send(SyncOutbox outbox, Ipv6Rig backup) {
        MemorySegment message = Arena.ofAuto().allocate(SyncMessageWriter.payloadLength(1500));
        SyncMessageWriter writer = new SyncMessageWriter(message);
        writer.reset(7);
        outbox.drain((memory, offset) -> {
            if (!writer.addEncoded(memory, offset)) {
                throw new AssertionError("more than one message in this test");
            }
        }, 10_000);
        List<SyncConnection> sent4 = new ArrayList<>();
        List<SyncConnection6> sent = new ArrayList<>();
        assertThat(SyncMessageReader.read(message.asSlice(0, writer.finish()), 7, sent4::add, sent::add))
                .isEqualTo(sent.size());
        assertThat(sent4).as("no IPv4 entry").isEmpty();
        for (SyncConnection6 entry : sent) {
            backup.director.applySynced6(entry);
        }
        return sent;
    }

    /** A reply of the real server to where the master's entry sends the connection's packets. */
    static byte[] reply(Method method, ConnectionTable master, int id) {
        int localPort = master.localPort(id);
        if (method.nat64()) {
            return Frames.withMacs(Nat64DirectorTest.ipv4(Protocol.TCP, RS1, 8080, LIP4, localPort)
                    .tcpFlags(TcpHeader.ACK).bytes(), SERVER_SIDE_MAC, RS1_MAC);
        }
        Ipv6 destination = new Ipv6(master.localHi(id), master.localLo(id));
        Ipv6FrameBuilder builder = packet(Protocol.TCP, RS6, 8080, destination, localPort).tcpFlags(TcpHeader.ACK);
        return serverFrame(builder, RS6_MAC);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Method.class)
    void theBackupForwardsAnIpv6ConnectionAndItsRepliesAsTheMasterWould(Method method) throws ControlException {
        Ipv6Rig master = node(method);
        Ipv6Rig backup = node(method);
        Ipv6Rig unsynced = node(method);
        SyncOutbox outbox = new SyncOutbox(64 * 1024);
        master.director.syncTo(outbox);
        open(master);

        List<SyncConnection6> sent = send(outbox, backup);

        boolean persistent = method.persistent();
        assertThat(sent).hasSize(persistent ? 2 : 1);
        assertThat(sent.getFirst().state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(sent.getFirst().director() != null).as("JVS's option")
                .isEqualTo(method != Method.NAT66 && method != Method.DR_PERSISTENT);
        if (persistent) {
            assertThat(sent.get(1).isTemplate()).isTrue();
        }
        assertThat(backup.count(Counter.SYNC_ENTRIES_APPLIED)).isEqualTo(sent.size());
        assertThat(backup.director.connections().size()).isEqualTo(sent.size());

        byte[] next = fromClient(TcpHeader.ACK | TcpHeader.PSH, 51, NEXT_LENGTH);
        List<InMemoryHost.Sent> expected = master.feed(CLIENT_SIDE, next);
        assertThat(expected).hasSize(1);
        assertThat(backup.feed(CLIENT_SIDE, next)).singleElement()
                .satisfies(s -> assertThat(s.frame()).isEqualTo(expected.getFirst().frame()));
        assertThat(unsynced.feed(CLIENT_SIDE, next)).as("a backup without sync").isEmpty();

        if (method != Method.DR_PERSISTENT) {
            ConnectionTable table = master.director.connections();
            int id = table.lookupIn6(Protocol.TCP, CLIENT6.hi(), CLIENT6.lo(), 40000, VIP6.hi(), VIP6.lo(), 80);
            byte[] reply = reply(method, table, id);
            List<InMemoryHost.Sent> expectedReply = master.feed(SERVER_SIDE, reply);
            assertThat(expectedReply).singleElement().satisfies(s -> assertThat(s.ifindex()).isEqualTo(CLIENT_SIDE));
            assertThat(backup.feed(SERVER_SIDE, reply)).singleElement()
                    .satisfies(s -> assertThat(s.frame()).isEqualTo(expectedReply.getFirst().frame()));
        }
    }

    @Test
    void aFullNatEntryWithoutJvsOptionIsRefusedAndCounted() throws ControlException {
        Ipv6Rig backup = node(Method.FULLNAT6);
        boolean applied = backup.director.applySynced6(new SyncConnection6(Protocol.TCP, SyncConnection.F_MASQ,
                TcpState.ESTABLISHED, CLIENT6.hi(), CLIENT6.lo(), 40000, VIP6.hi(), VIP6.lo(), 80, RS6.hi(),
                RS6.lo(), 8080, 0, 900, null));
        assertThat(applied).isFalse();
        assertThat(backup.count(Counter.SYNC_ENTRIES_REFUSED)).isEqualTo(1);
        assertThat(backup.director.connections().size()).isZero();
    }

    @Test
    void aResyncQueuesIpv6EntriesAsIpv6() throws ControlException {
        Ipv6Rig master = node(Method.NAT64);
        open(master);
        Ipv6Rig backup = node(Method.NAT64);
        SyncOutbox outbox = new SyncOutbox(64 * 1024);
        master.director.syncTo(outbox);

        assertThat(master.director.queueAllForSync(0, 1 << 20)).isEqualTo(-1);
        List<SyncConnection6> sent = send(outbox, backup);

        assertThat(sent).singleElement().satisfies(e -> {
            assertThat(e.destinationHi()).isZero();
            assertThat(e.destinationLo()).as("the IPv4 real server IPv4-mapped").isEqualTo(Ipv6.mappedLo(RS1));
            assertThat(e.director().localLo()).as("the IPv4 local address IPv4-mapped").isEqualTo(Ipv6.mappedLo(LIP4));
        });
        assertThat(backup.director.connections().size()).isEqualTo(1);
    }

    /** The workers' side of sync (SyncOutbox.Writer.offer) of IPv6 entries with JVS's option allocates nothing. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Method.class, names = {"FULLNAT6_PROXY", "NAT64"})
    void offeringAnIpv6EntryAllocatesNothing(Method method) throws ControlException {
        Ipv6Rig master = node(method);
        open(master);
        ConnectionTable table = master.director.connections();
        int id = table.lookupIn6(Protocol.TCP, CLIENT6.hi(), CLIENT6.lo(), 40000, VIP6.hi(), VIP6.lo(), 80);
        SyncOutbox outbox = new SyncOutbox(64 * 1024);
        SyncOutbox.Writer writer = outbox.writer();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 50; round++) {
            while (writer.offer(table, id)) {
                // warm up to a full outbox
            }
            outbox.drain((memory, offset) -> { }, Integer.MAX_VALUE);
        }
        int offered = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        while (writer.offer(table, id)) {
            offered++;
        }
        boolean full = !writer.offer(table, id);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(offered).isGreaterThan(400);
        assertThat(full).isTrue();
        // one allocation per offer would be 16 bytes at least each: a few thousand; what is left is the JVM's
        assertThat(allocated).as("bytes allocated by %d offers and a refused one", offered).isLessThanOrEqualTo(256);
    }
}
