package org.jvs.rest;

import java.util.Locale;

import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.SchedulerFlagNames;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelChecksum;
import org.jvs.service.TunnelType;

/**
 * Request bodies to the specs {@link org.jvs.api.DirectorControl} takes, with ipvsadm's defaults for fields left out
 * (so a PUT, like -E and -e, sends the whole definition again) and the checks ipvsadm makes before it asks the kernel.
 * What only the director can judge (an unknown scheduler, a duplicate) is left to it.
 */
final class Specs {
    /** ipvsadm's MAX_TIMEOUT: 31 days. */
    static final int MAX_TIMEOUT_S = 86400 * 31;
    static final String DEFAULT_SCHEDULER = "wlc";
    static final String FORWARDING_EXPECTED = "masq, route, tunnel or fullnat";
    /** Fields a GET answers that a PUT may send back: read-only, not read. */
    private static final String[] SERVICE_READ_ONLY = {"id", "stats", "rates", "realServers", "localAddresses"};
    private static final String[] SERVER_READ_ONLY = {"id", "activeConnections", "inactiveConnections",
        "persistentConnections", "stats", "rates"};

    private Specs() {
    }

    /** POST /services ({@code path} null: the body names the service) or PUT /services/{service}. */
    static ServiceSpec service(Fields body, ServiceKey path) throws ApiError {
        int protocol = path == null ? 0 : path.protocol();
        if (path == null || body.has("protocol")) {
            String word = body.text("protocol", null);
            protocol = Ids.parseProtocol(word, "protocol", word);
        }
        IpAddress address = body.address("address", path == null ? null : path.address().toString());
        int port = body.integer("port", 0, 65535, path == null ? 0 : path.port(), "illegal port");
        ServiceKey key = new ServiceKey(protocol, address, port);
        if (path != null && !key.equals(path)) {
            throw ApiError.badField(protocol != path.protocol() ? "protocol" : !address.equals(path.address()) ? "address"
                    : "port", "the body names " + Ids.service(key) + ", the path " + Ids.service(path)
                    + " (expected the same service, or the field left out)");
        }
        String scheduler = body.text("scheduler", DEFAULT_SCHEDULER);
        String flags;
        try {
            flags = SchedulerFlagNames.canonical(scheduler, body.text("schedulerFlags", ""));
        } catch (IllegalArgumentException refused) {
            throw ApiError.badField("schedulerFlags", refused.getMessage());
        }
        int persistence = body.integer("persistenceTimeout", 0, MAX_TIMEOUT_S, 0,
                "invalid persistenceTimeout value (seconds, 0 for a service without persistence)");
        int netmask = persistenceNetmask(body, address);
        boolean onePacket = body.bool("onePacket", false);
        int proxyProtocol = body.integer("proxyProtocol", 0, 2, ServiceSpec.PROXY_PROTOCOL_NONE,
                "illegal proxyProtocol (0 none, 1 or 2 the PROXY protocol version)");
        body.ignore(SERVICE_READ_ONLY);
        body.noOthers();
        if (port == 0 && persistence == 0) {
            throw ApiError.badField("port", "Zero port specified for non-persistent service (expected a port from 1"
                    + " to 65535, or a persistenceTimeout)");
        }
        if (onePacket && protocol != Protocol.UDP) {
            throw ApiError.badField("onePacket", "One-Packet Scheduling is only for UDP virtual services (expected"
                    + " protocol udp, or onePacket false)");
        }
        if (proxyProtocol != ServiceSpec.PROXY_PROTOCOL_NONE && protocol != Protocol.TCP) {
            throw ApiError.badField("proxyProtocol", "PROXY protocol is only for TCP virtual services (expected"
                    + " protocol tcp, or proxyProtocol 0)");
        }
        return new ServiceSpec(key, scheduler, flags, persistence, netmask, onePacket, proxyProtocol);
    }

    /**
     * ipvsadm's -M: a dotted mask for an IPv4 service (255.255.255.255 by default), a prefix length 1..128 as a
     * string for an IPv6 one ("128" by default), as -L prints each.
     */
    private static int persistenceNetmask(Fields body, IpAddress service) throws ApiError {
        if (service.isIpv4()) {
            return body.address("persistenceNetmask", "255.255.255.255").ipv4();
        }
        String text = body.text("persistenceNetmask", "128");
        if (!text.matches("[0-9]{1,3}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 128) {
            throw ApiError.badField("persistenceNetmask", "illegal ipv6 netmask specified: '" + text
                    + "' (expected a prefix length from \"1\" to \"128\" for an IPv6 service)");
        }
        return Integer.parseInt(text);
    }

    /**
     * POST .../real-servers ({@code address}/{@code port} from the body; port defaults to the service's) or PUT
     * .../real-servers/{rid} ({@code path} = {address, port}). As ipvsadm, only NAT and full NAT keep a port of their
     * own: route and tunnel servers take the service's.
     */
    static RealServerSpec realServer(Fields body, ServiceKey service, Ids.Endpoint path) throws ApiError {
        IpAddress address = body.address("address", path == null ? null : path.address().toString());
        int port = body.integer("port", 0, 65535, path == null ? service.port() : path.port(), "illegal port");
        String word = body.text("forwarding", "route");
        ForwardingMethod method = forwarding(word);
        int weight = body.integer("weight", 0, 65535, 1, "illegal weight specified");
        int upper = body.integer("upperThreshold", 0, Integer.MAX_VALUE, 0, "illegal upperThreshold specified");
        int lower = body.integer("lowerThreshold", 0, Integer.MAX_VALUE, 0, "illegal lowerThreshold specified");
        Tunnel tunnel = tunnel(body, method);
        body.ignore(SERVER_READ_ONLY);
        body.noOthers();
        if (path != null && (!address.equals(path.address()) || (port != path.port() && method.translatesReplies()))) {
            throw ApiError.badField(!address.equals(path.address()) ? "address" : "port", "the body names "
                    + Ids.endpoint(address, port) + ", the path " + Ids.endpoint(path.address(), path.port())
                    + " (expected the same real server, or the field left out)");
        }
        int realPort = method.translatesReplies() ? port : service.port();
        return new RealServerSpec(address, realPort, method, weight, upper, lower, tunnel);
    }

    /**
     * The tunnel fields (ipvsadm's --tun-type, --tun-port and checksum option), for tunnel servers only, with
     * ipvsadm's defaults (ipip, no port, nocsum) and its refusals.
     */
    private static Tunnel tunnel(Fields body, ForwardingMethod method) throws ApiError {
        String given = body.has("tunnelType") ? "tunnelType" : body.has("tunnelPort") ? "tunnelPort"
                : body.has("tunnelChecksum") ? "tunnelChecksum" : null;
        String typeWord = body.text("tunnelType", TunnelType.IPIP.ipvsadmName());
        int port = body.integer("tunnelPort", 0, 65535, 0, "illegal tunnelPort specified");
        String checksumWord = body.text("tunnelChecksum", TunnelChecksum.NOCSUM.keyword());
        if (given != null && method != ForwardingMethod.TUNNEL) {
            throw ApiError.badField(given, "Tunnel options conflict with forward method " + word(method)
                    + " (expected forwarding tunnel, or no tunnel fields)");
        }
        TunnelType type = TunnelType.byName(typeWord);
        if (type == null) {
            throw ApiError.badField("tunnelType", "illegal tunnel type '" + typeWord + "' (expected ipip, gue or gre)");
        }
        TunnelChecksum checksum = TunnelChecksum.byKeyword(checksumWord);
        if (checksum == null) {
            throw ApiError.badField("tunnelChecksum", "illegal tunnel checksum option '" + checksumWord
                    + "' (expected nocsum, csum or remcsum)");
        }
        Tunnel tunnel = new Tunnel(type, port, checksum);
        String refusal = tunnel.refusal();
        if (refusal != null) {
            throw ApiError.badField(port == 0 && type == TunnelType.GUE || port != 0 ? "tunnelPort" : "tunnelChecksum",
                    "illegal tunnel " + tunnel.tunnelInfo() + ": " + refusal);
        }
        return tunnel;
    }

    static ForwardingMethod forwarding(String word) throws ApiError {
        for (ForwardingMethod method : ForwardingMethod.values()) {
            if (word(method).equals(word)) {
                return method;
            }
        }
        throw ApiError.badField("forwarding", "illegal forwarding method '" + word + "' (expected "
                + FORWARDING_EXPECTED + ")");
    }

    /** masq, tunnel, route or fullnat. */
    static String word(ForwardingMethod method) {
        return method.name().toLowerCase(Locale.ROOT);
    }

    static LocalAddressSpec localAddress(Fields body) throws ApiError {
        IpAddress address = body.address("address", null);
        String interfaceName = body.text("interface", "");
        body.ignore("id");
        body.noOthers();
        if (!interfaceName.isEmpty() && !LocalAddressSpec.validInterfaceName(interfaceName)) {
            throw ApiError.badField("interface", "illegal interface name specified: '" + interfaceName
                    + "' (expected 1.." + LocalAddressSpec.INTERFACE_NAME_MAX
                    + " characters without '/', ':' or blanks, or \"\")");
        }
        return new LocalAddressSpec(address, interfaceName);
    }

    /** PUT /timeouts: as ipvsadm --set, a field left out or 0 leaves that timeout unchanged. */
    static TimeoutsSpec timeouts(Fields body) throws ApiError {
        int tcp = timeout(body, "tcp");
        int tcpFin = timeout(body, "tcpFin");
        int udp = timeout(body, "udp");
        body.noOthers();
        return new TimeoutsSpec(tcp, tcpFin, udp);
    }

    private static int timeout(Fields body, String name) throws ApiError {
        return body.integer(name, 0, MAX_TIMEOUT_S, 0, "invalid " + name + " timeout value (seconds, 0 unchanged)");
    }
}
