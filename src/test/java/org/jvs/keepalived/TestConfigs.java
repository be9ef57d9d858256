package org.jvs.keepalived;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvs.api.IpAddress;
import org.jvs.api.ServiceKey;
import org.jvs.check.CheckCommon;
import org.jvs.check.CheckSpec;
import org.jvs.check.TcpCheckSpec;
import org.jvs.keepalived.config.ConfigLocation;
import org.jvs.keepalived.config.ConfigWarning;
import org.jvs.keepalived.config.GlobalDefs;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.LocalAddressGroup;
import org.jvs.keepalived.config.RealServerConfig;
import org.jvs.keepalived.config.VirtualServerConfig;
import org.jvs.keepalived.config.VirtualServerGroup;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

/** Builds configuration models as the parser would, keepalived's defaults unless a test says otherwise. */
final class TestConfigs {
    static final ConfigLocation HERE = new ConfigLocation(Path.of("keepalived.conf"), 1);
    static final String VIP = "203.0.113.10";
    static final ServiceKey SERVICE = new ServiceKey(Protocol.TCP, Ipv4.parse(VIP), 80);

    private TestConfigs() {
    }

    static CheckSpec tcpCheck(int retry) {
        return new TcpCheckSpec(new CheckCommon(0, 0, 0, 0, Duration.ofSeconds(3), retry, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(6)));
    }

    static Rs rs(String address) {
        return new Rs(address);
    }

    static Vs vs() {
        return new Vs();
    }

    /** "TCP 203.0.113.10:80 -> 192.0.2.11:80" */
    static String checked(String rip) {
        return "TCP " + VIP + ":80 -> " + rip + ":80";
    }

    static KeepalivedConfig config(Vs... servers) {
        return config(Map.of(), Map.of(), servers);
    }

    static KeepalivedConfig config(Map<String, VirtualServerGroup> groups, Map<String, LocalAddressGroup> laddrs,
                                   Vs... servers) {
        List<VirtualServerConfig> all = new ArrayList<>();
        for (Vs server : servers) {
            all.add(server.build());
        }
        return new KeepalivedConfig(GlobalDefs.DEFAULT, all, groups, laddrs, List.<ConfigWarning>of());
    }

    static final class Rs {
        final String address;
        int port = 80;
        int weight = 1;
        boolean inhibit;
        /** The real server's own alpha; null takes the virtual server's. */
        Boolean alpha;
        String notifyUp = "";
        String notifyDown = "";
        List<CheckSpec> checkers = List.of(tcpCheck(1));
        ForwardingMethod method = ForwardingMethod.MASQ;

        Rs(String address) {
            this.address = address;
        }

        Rs weight(int value) {
            weight = value;
            return this;
        }

        Rs inhibit() {
            inhibit = true;
            return this;
        }

        Rs alpha(boolean value) {
            alpha = value;
            return this;
        }

        Rs notify(String up, String down) {
            notifyUp = up;
            notifyDown = down;
            return this;
        }

        Rs checkers(CheckSpec... specs) {
            checkers = List.of(specs);
            return this;
        }

        Rs method(ForwardingMethod value) {
            method = value;
            return this;
        }

        RealServerConfig build(boolean vsAlpha) {
            return new RealServerConfig(HERE, IpAddress.parse(address), port, method, weight, 0, 0, inhibit,
                    alpha != null ? alpha : vsAlpha, notifyUp, notifyDown, checkers);
        }
    }

    static final class Vs {
        int address = Ipv4.parse(VIP);
        int port = 80;
        String group = "";
        String scheduler = "wlc";
        boolean alpha;
        boolean omega;
        int quorum = 1;
        int hysteresis;
        String quorumUp = "";
        String quorumDown = "";
        boolean inhibit;
        Rs sorry;
        boolean sorryInhibit;
        String laddrGroup = "";
        int persistenceTimeoutS;
        final List<Rs> realServers = new ArrayList<>();

        Vs with(Rs... servers) {
            realServers.addAll(List.of(servers));
            return this;
        }

        Vs group(String name) {
            group = name;
            address = 0;
            port = 0;
            return this;
        }

        Vs alpha() {
            alpha = true;
            return this;
        }

        Vs omega() {
            omega = true;
            return this;
        }

        Vs quorum(int value, int hysteresisValue, String up, String down) {
            quorum = value;
            hysteresis = hysteresisValue;
            quorumUp = up;
            quorumDown = down;
            return this;
        }

        Vs sorry(String address, boolean inhibitIt) {
            sorry = new Rs(address).checkers();
            sorryInhibit = inhibitIt;
            return this;
        }

        Vs scheduler(String name) {
            scheduler = name;
            return this;
        }

        Vs laddrGroup(String name) {
            laddrGroup = name;
            return this;
        }

        VirtualServerConfig build() {
            List<RealServerConfig> built = new ArrayList<>();
            for (Rs server : realServers) {
                built.add(server.build(alpha));
            }
            return new VirtualServerConfig(HERE, IpAddress.ofIpv4(address), port, group, Protocol.TCP, scheduler, "", false,
                    ForwardingMethod.MASQ, persistenceTimeoutS, -1, Duration.ofSeconds(6), alpha, omega, quorum,
                    hysteresis, quorumUp, quorumDown, inhibit, sorry == null ? null : sorry.build(false), sorryInhibit,
                    laddrGroup, 0, built);
        }
    }
}
