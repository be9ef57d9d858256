package org.jvs.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.TimeoutsSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.stats.Stats;

/**
 * The JSON the API answers, from the director's snapshots; field names as in openapi.json. The fields a POST or PUT
 * takes come first, under the same names, so a GET's answer can be edited and sent back.
 */
final class Views {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Views() {
    }

    static ObjectNode service(ServiceSnapshot service) {
        ServiceKey key = service.key();
        ObjectNode node = JSON.objectNode();
        node.put("id", Ids.service(key));
        node.put("protocol", Ids.protocol(key.protocol()));
        node.put("address", key.address().toString());
        node.put("port", key.port());
        node.put("scheduler", service.scheduler());
        node.put("schedulerFlags", service.schedulerFlags());
        node.put("persistenceTimeout", service.persistenceTimeoutS());
        // as -L prints -M: a dotted mask, or an IPv6 service's prefix length
        node.put("persistenceNetmask", key.address().isIpv4() ? Ipv4.toString(service.persistenceNetmask())
                : Integer.toString(service.persistenceNetmask()));
        node.put("onePacket", service.onePacket());
        node.put("proxyProtocol", service.proxyProtocol());
        stats(node, service.stats());
        ArrayNode servers = node.putArray("realServers");
        for (RealServerSnapshot server : service.realServers()) {
            servers.add(realServer(server));
        }
        ArrayNode locals = node.putArray("localAddresses");
        for (LocalAddressSpec local : service.localAddresses()) {
            locals.add(localAddress(local));
        }
        return node;
    }

    static ObjectNode realServer(RealServerSnapshot server) {
        ObjectNode node = JSON.objectNode();
        node.put("id", Ids.endpoint(server.address(), server.port()));
        node.put("address", server.address().toString());
        node.put("port", server.port());
        node.put("forwarding", Specs.word(server.method()));
        node.put("weight", server.weight());
        node.put("upperThreshold", server.upperThreshold());
        node.put("lowerThreshold", server.lowerThreshold());
        if (server.method() == ForwardingMethod.TUNNEL) {
            node.put("tunnelType", server.tunnel().type().ipvsadmName());
            node.put("tunnelPort", server.tunnel().port());
            node.put("tunnelChecksum", server.tunnel().checksum().keyword());
        }
        node.put("activeConnections", server.activeConnections());
        node.put("inactiveConnections", server.inactiveConnections());
        node.put("persistentConnections", server.persistentConnections());
        stats(node, server.stats());
        return node;
    }

    static ObjectNode localAddress(LocalAddressSpec local) {
        ObjectNode node = JSON.objectNode();
        node.put("id", local.address().toString());
        node.put("address", local.address().toString());
        node.put("interface", local.interfaceName());
        return node;
    }

    static ObjectNode timeouts(TimeoutsSpec timeouts) {
        ObjectNode node = JSON.objectNode();
        node.put("tcp", timeouts.tcpS());
        node.put("tcpFin", timeouts.tcpFinS());
        node.put("udp", timeouts.udpS());
        return node;
    }

    static ObjectNode connection(ConnectionSnapshot connection) {
        ObjectNode node = JSON.objectNode();
        node.put("protocol", Ids.protocol(connection.protocol()));
        node.put("clientAddress", connection.clientAddress().toString());
        node.put("clientPort", connection.clientPort());
        node.put("virtualAddress", connection.virtualAddress().toString());
        node.put("virtualPort", connection.virtualPort());
        node.put("realAddress", connection.realAddress().toString());
        node.put("realPort", connection.realPort());
        node.put("service", Ids.service(new ServiceKey(connection.protocol(), connection.virtualAddress(),
                connection.virtualPort())));
        node.put("realServer", Ids.endpoint(connection.realAddress(), connection.realPort()));
        node.put("state", connection.state());
        node.put("expiresInMs", connection.expiresInMs());
        node.put("template", connection.template());
        return node;
    }

    static ObjectNode error(String message, String field) {
        ObjectNode node = JSON.objectNode();
        node.put("error", message);
        if (field != null) {
            node.put("field", field);
        }
        return node;
    }

    /** Totals since the last zeroing ({@code stats}, as -L --stats) and per-second rates ({@code rates}, --rate). */
    private static void stats(ObjectNode node, Stats given) {
        Stats stats = given == null ? new Stats() : given;
        ObjectNode totals = node.putObject("stats");
        totals.put("connections", stats.connections);
        totals.put("inPackets", stats.inPackets);
        totals.put("outPackets", stats.outPackets);
        totals.put("inBytes", stats.inBytes);
        totals.put("outBytes", stats.outBytes);
        ObjectNode rates = node.putObject("rates");
        rates.put("connections", Stats.perSecond(stats.cpsScaled));
        rates.put("inPackets", Stats.perSecond(stats.inPpsScaled));
        rates.put("outPackets", Stats.perSecond(stats.outPpsScaled));
        rates.put("inBytes", Stats.bytesPerSecond(stats.inBpsScaled));
        rates.put("outBytes", Stats.bytesPerSecond(stats.outBpsScaled));
    }
}
