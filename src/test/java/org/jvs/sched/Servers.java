package org.jvs.sched;

import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;

/** Test fixture: a TCP service on 192.0.2.1:80 with real servers 198.18.0.1, .2, ... named A, B, ... */
final class Servers {
    static final int CLIENT = Ipv4.parse("198.51.100.7");
    static final int VIP = Ipv4.parse("192.0.2.1");

    private Servers() {
    }

    /** A service whose servers were all there when it got {@code scheduler} (ipvsadm -E -s: init_service). */
    static VirtualService service(Scheduler scheduler, int... weights) {
        VirtualService service = serviceAddedOneByOne(new RoundRobinScheduler(), weights);
        service.scheduler(scheduler);
        return service;
    }

    /** A service that got {@code scheduler} first and then its servers one ipvsadm -a at a time (add_dest). */
    static VirtualService serviceAddedOneByOne(Scheduler scheduler, int... weights) {
        VirtualService service = new VirtualService(Protocol.TCP, VIP, 80, scheduler);
        for (int i = 0; i < weights.length; i++) {
            service.addRealServer(server(i, weights[i]));
        }
        return service;
    }

    static RealServer server(int index, int weight) {
        return new RealServer(Ipv4.parse("198.18.0." + (index + 1)), 80, ForwardingMethod.ROUTE, weight);
    }

    static RealServer get(VirtualService service, char name) {
        return service.realServers().get(name - 'A');
    }

    /** The next {@code count} choices as letters, '-' for none; each choice is bound as a new connection. */
    static String sequence(VirtualService service, int count) {
        return sequence(service, count, false);
    }

    /** As {@link #sequence(VirtualService, int)}, each choice bound as an active (established) connection. */
    static String activeSequence(VirtualService service, int count) {
        return sequence(service, count, true);
    }

    private static String sequence(VirtualService service, int count, boolean active) {
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < count; i++) {
            RealServer chosen = service.scheduler().schedule(service, CLIENT, 1024 + i, VIP, 80);
            if (chosen == null) {
                choices.append('-');
            } else {
                if (active) {
                    chosen.countConnections(1, 0);
                } else {
                    chosen.countConnections(0, 1);
                }
                chosen.updateOverload();
                choices.append((char) ('A' + service.realServers().indexOf(chosen)));
            }
        }
        return choices.toString();
    }

    /** Sets the server's active connections as the connection table would count them. */
    static void active(RealServer server, int count) {
        server.countConnections(count - server.activeConnections, 0);
        server.updateOverload();
    }

    /** Sets the server's inactive connections as the connection table would count them. */
    static void inactive(RealServer server, int count) {
        server.countConnections(0, count - server.inactiveConnections);
        server.updateOverload();
    }
}
