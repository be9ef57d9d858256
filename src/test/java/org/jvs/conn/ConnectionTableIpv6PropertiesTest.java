package org.jvs.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;

/**
 * IPv6 entries (and IPv4 ones whose address words are the IPv6 ones' folds, so they share hash chains) created and
 * removed at random: every in- and out-lookup of either family agrees with a plain map of the live keys.
 */
class ConnectionTableIpv6PropertiesTest {
    private static final int TCP = Protocol.TCP;
    private static final long T0 = 7_000_000_000L;
    /** 2001:db8::1 and 2001:db9:: fold alike; ::192.0.2.9 folds to an IPv4 client's address. */
    private static final Ipv6[] CLIENTS = {
        Ipv6.parse("2001:db8::1"), Ipv6.parse("2001:db9::"), Ipv6.parse("::192.0.2.9"), Ipv6.parse("2001:db8:1::1")};
    private static final int[] PORTS = {1000, 2000};
    private static final Ipv6 VIP = Ipv6.parse("::192.0.2.1");
    private static final Ipv6 RIP = Ipv6.parse("::198.18.0.10");
    /** The reply destination of a full-NAT entry; the client's for NAT. */
    private static final Ipv6[] LIPS = {Ipv6.parse("2001:db8:d::1"), Ipv6.parse("2001:db8:d::2")};

    /** kind 0: an IPv6 entry, 1: an IPv4 one of the folded addresses, 2: remove a live entry; lip -1 for NAT. */
    record Step(int kind, int client, int port, int lip, int pick) {
    }

    /** A key of the model: family, the address pair, the port pair. */
    record Key(boolean ipv6, Ipv6 first, int firstPort, Ipv6 second, int secondPort) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 1), Arbitraries.integers().between(-1, 1),
                        Arbitraries.integers().between(0, 99))
                .as(Step::new).list().ofMaxSize(80);
    }

    @Property(tries = 200)
    void shouldAgreeWithAMapOfTheLiveKeys(@ForAll("steps") List<Step> steps) {
        ConnectionTable table = new ConnectionTable(64, new Timeouts());
        RealServer server6 = new RealServer(RIP, 8080, ForwardingMethod.FULLNAT, 1);
        RealServer server4 = new RealServer(fold(RIP), 8080, ForwardingMethod.FULLNAT, 1);
        Map<Key, Integer> in = new HashMap<>();
        Map<Key, Integer> out = new HashMap<>();
        Map<Integer, Key[]> live = new HashMap<>();
        for (Step step : steps) {
            if (step.kind() == 2) {
                if (!live.isEmpty()) {
                    List<Integer> ids = new ArrayList<>(live.keySet());
                    ids.sort(null);
                    int id = ids.get(step.pick() % ids.size());
                    table.remove(id);
                    Key[] keys = live.remove(id);
                    in.remove(keys[0]);
                    out.remove(keys[1]);
                }
            } else {
                boolean ipv6 = step.kind() == 0;
                Ipv6 client = family(ipv6, CLIENTS[step.client()]);
                int clientPort = PORTS[step.port()];
                Ipv6 local = step.lip() < 0 ? client : family(ipv6, LIPS[step.lip()]);
                int localPort = step.lip() < 0 ? clientPort : 5000 + step.pick();
                Key inKey = new Key(ipv6, client, clientPort, family(ipv6, VIP), 80);
                Key outKey = new Key(ipv6, family(ipv6, RIP), 8080, local, localPort);
                if (in.containsKey(inKey) || out.containsKey(outKey)) {
                    continue;
                }
                int id = ipv6
                        ? table.create6(TCP, client.hi(), client.lo(), clientPort, VIP.hi(), VIP.lo(), 80, server6,
                                8080, local.hi(), local.lo(), localPort, true, T0)
                        : table.create(TCP, fold(client), clientPort, fold(VIP), 80, server4, 8080, fold(local),
                                localPort, true, T0);
                in.put(inKey, id);
                out.put(outKey, id);
                live.put(id, new Key[] {inKey, outKey});
            }
            check(table, in, out);
        }
    }

    private static void check(ConnectionTable table, Map<Key, Integer> in, Map<Key, Integer> out) {
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (Ipv6 c : CLIENTS) {
                Ipv6 client = family(ipv6, c);
                for (int port : PORTS) {
                    Key inKey = new Key(ipv6, client, port, family(ipv6, VIP), 80);
                    int found = ipv6 ? table.lookupIn6(TCP, client.hi(), client.lo(), port, VIP.hi(), VIP.lo(), 80)
                            : table.lookupIn(TCP, fold(client), port, fold(VIP), 80);
                    assertEquals(in.getOrDefault(inKey, ConnectionTable.NONE), found, inKey.toString());
                    checkOut(table, out, ipv6, client, port);
                }
            }
            for (Ipv6 lip : LIPS) {
                for (int port = 5000; port < 5100; port++) {
                    checkOut(table, out, ipv6, family(ipv6, lip), port);
                }
            }
        }
    }

    private static void checkOut(ConnectionTable table, Map<Key, Integer> out, boolean ipv6, Ipv6 local, int port) {
        Key outKey = new Key(ipv6, family(ipv6, RIP), 8080, local, port);
        int found = ipv6 ? table.lookupOut6(TCP, RIP.hi(), RIP.lo(), 8080, local.hi(), local.lo(), port)
                : table.lookupOut(TCP, fold(RIP), 8080, fold(local), port);
        assertEquals(out.getOrDefault(outKey, ConnectionTable.NONE), found, outKey.toString());
    }

    /** The model's address of an entry: the IPv6 address, or for IPv4 its fold in the IPv4-mapped form. */
    private static Ipv6 family(boolean ipv6, Ipv6 address) {
        return ipv6 ? address : new Ipv6(0, Ipv6.mappedLo(fold(address)));
    }

    /** An IPv4 model address's IPv4 int, or an IPv6 address's fold: both are what the IPv4 lookups take. */
    private static int fold(Ipv6 address) {
        return address.isIpv4Mapped() ? (int) address.lo() : Ipv6.fold(address.hi(), address.lo());
    }
}
