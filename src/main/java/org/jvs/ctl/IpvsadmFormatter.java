package org.jvs.ctl;

import java.util.List;
import java.util.Locale;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Tunnel;
import org.jvs.service.TunnelType;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;
import org.jvs.stats.Stats;

/**
 * Renders listings byte for byte as ipvsadm 1.31 prints them (print_service_entry, print_title, print_conn,
 * list_timeout, list_daemon), including its column widths, trailing blanks and name truncation.
 */
public final class IpvsadmFormatter {
    /** The kernel IPVS version and connection table size ipvsadm reports; JVS behaves as IPVS 1.2.1. */
    static final String VERSION_LINE = "IP Virtual Server version 1.2.1 (size=4096)\n";
    private static final int SERVICE_NAME_WIDTH = 33;
    private static final int SERVER_NAME_WIDTH = 28;
    private static final int NO_MASK = 0xFFFFFFFF;

    private final NameResolver names;

    public IpvsadmFormatter(NameResolver names) {
        this.names = names;
    }

    /** {@code -L} of the whole table: version line, column titles, every service. */
    public String listAll(List<ServiceSnapshot> services, ListFormat format) {
        StringBuilder out = new StringBuilder(VERSION_LINE);
        appendTitle(out, format);
        for (ServiceSnapshot service : ordered(services, ListingOrder.SERVICES, format)) {
            appendService(out, service, format, false);
        }
        return out.toString();
    }

    /** {@code -L -t|-u VIP:PORT}: column titles and that one service, no version line. */
    public String listService(ServiceSnapshot service, ListFormat format) {
        StringBuilder out = new StringBuilder();
        appendTitle(out, format);
        appendService(out, service, format, false);
        return out.toString();
    }

    /** {@code -S}: the table as the commands that rebuild it. */
    public String save(List<ServiceSnapshot> services, ListFormat format) {
        StringBuilder out = new StringBuilder();
        for (ServiceSnapshot service : ordered(services, ListingOrder.SERVICES, format)) {
            appendService(out, service, format, true);
        }
        return out.toString();
    }

    /** {@code -L -c}: connection entries in the director's order, as ipvsadm reads /proc/net/ip_vs_conn. */
    public String connections(List<ConnectionSnapshot> connections, ListFormat format) {
        StringBuilder out = new StringBuilder("IPVS connection entries\n");
        if (format.persistentConnections()) {
            out.append(String.format(Locale.ROOT, "pro expire %-11s %-18s %-18s %-18s %-16s %s\n",
                    "state", "source", "virtual", "destination", "pe name", "pe_data"));
        } else {
            out.append(String.format(Locale.ROOT, "pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual", "destination"));
        }
        for (ConnectionSnapshot c : connections) {
            long expiresS = Math.max(0, c.expiresInMs() / 1000);
            String expire = String.format(Locale.ROOT, "%02d:%02d", expiresS / 60, expiresS % 60);
            out.append(String.format(Locale.ROOT, "%-3s %-6s %-11s %-18s %-18s %s\n", Protocol.name(c.protocol()), expire,
                    c.state(), endpoint(c.clientAddress(), c.clientPort(), c.protocol(), format),
                    endpoint(c.virtualAddress(), c.virtualPort(), c.protocol(), format),
                    endpoint(c.realAddress(), c.realPort(), c.protocol(), format)));
        }
        return out.toString();
    }

    /**
     * {@code -G}, as DPVS's list_laddrs() prints it: always numeric, services in table order, titles once.
     * JVS keeps no per-address conflict or connection counts yet, so those columns are 0.
     */
    public String localAddresses(List<ServiceSnapshot> services) {
        StringBuilder out = new StringBuilder();
        for (ServiceSnapshot service : services) {
            if (out.isEmpty()) {
                out.append(String.format(Locale.ROOT, "%-20s %-8s %-20s %-10s %-10s\n", "VIP:VPORT", "TOTAL",
                        "SNAT_IP", "CONFLICTS", "CONNS"));
            }
            String vname = service.key().address().withPort(service.key().port());
            out.append(String.format(Locale.ROOT, "%-20s %-8d \n", vname, service.localAddresses().size()));
            for (LocalAddressSpec local : service.localAddresses()) {
                out.append(String.format(Locale.ROOT, "%-20s %-8s %-20s %-10d %-10d\n", "", "",
                        local.address().toString(), 0, 0));
            }
        }
        return out.toString();
    }

    /** {@code -L --timeout} */
    public String timeouts(TimeoutsSpec timeouts) {
        return "Timeout (tcp tcpfin udp): " + timeouts.tcpS() + " " + timeouts.tcpFinS() + " " + timeouts.udpS() + "\n";
    }

    /**
     * {@code -L --daemon}: one line per running daemon in the director's order (master first). A maxlen of 0 stands for
     * "not set" and is left out, as ipvsadm leaves out what the kernel reports as unset; the group is printed as
     * inet_ntop prints it in its family.
     */
    public String daemons(List<SyncDaemonSpec> daemons) {
        StringBuilder out = new StringBuilder();
        for (SyncDaemonSpec daemon : daemons) {
            out.append(daemon.role().word()).append(" sync daemon (mcast=").append(daemon.interfaceName())
                    .append(", syncid=").append(daemon.syncId());
            if (daemon.maxLength() != 0) {
                out.append(", maxlen=").append(daemon.maxLength());
            }
            out.append(", group=").append(daemon.group());
            out.append(", port=").append(daemon.port()).append(", ttl=").append(daemon.ttl()).append(")\n");
        }
        return out.toString();
    }

    private static <T> List<T> ordered(List<T> items, java.util.Comparator<? super T> order, ListFormat format) {
        return format.noSort() ? items : ListingOrder.sorted(items, order);
    }

    private static void appendTitle(StringBuilder out, ListFormat format) {
        if (format.stats()) {
            out.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"));
        } else if (format.rate()) {
            out.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"));
        } else if (format.thresholds()) {
            out.append(String.format(Locale.ROOT, "%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn"));
        } else if (format.persistentConnections()) {
            out.append(String.format(Locale.ROOT, "%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn"));
        } else if (format.tunnelInfo()) {
            out.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
        } else {
            out.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
    }

    private void appendService(StringBuilder out, ServiceSnapshot service, ListFormat format, boolean rule) {
        int protocol = service.key().protocol();
        String vname = endpoint(service.key().address(), service.key().port(), protocol, format);
        String svcName;
        if (rule) {
            svcName = Protocol.flag(protocol) + " " + vname;
        } else {
            // snprintf("%-4s %s") cut at svc_name[33] unless the service is IPv6
            svcName = String.format(Locale.ROOT, "%-4s %s", Protocol.name(protocol), vname);
            if (service.key().address().isIpv4()) {
                svcName = truncate(svcName, SERVICE_NAME_WIDTH);
            }
        }
        boolean persistent = service.persistenceTimeoutS() > 0;
        String flags = service.schedulerFlags() == null ? "" : service.schedulerFlags();
        Stats stats = service.stats();
        if (rule) {
            out.append("-A ").append(svcName).append(" -s ").append(service.scheduler());
            if (persistent) {
                out.append(" -p ").append(Integer.toUnsignedString(service.persistenceTimeoutS()));
                appendMask(out, " -M ", service);
            }
            if (service.onePacket()) {
                out.append(" -o");
            }
            if (!flags.isEmpty()) {
                // as ipvsadm writes it; a bare -b would be DPVS's full NAT
                out.append(" -b ").append(flags);
            }
            if (service.proxyProtocol() != ServiceSpec.PROXY_PROTOCOL_NONE) {
                out.append(" --proxy-protocol v").append(service.proxyProtocol());
            }
        } else if (format.stats()) {
            out.append(String.format(Locale.ROOT, "%-33s", svcName));
            appendTotals(out, stats, format);
        } else if (format.rate()) {
            out.append(String.format(Locale.ROOT, "%-33s", svcName));
            largeNumber(out, perSecond(stats.cpsScaled), format);
            largeNumber(out, perSecond(stats.inPpsScaled), format);
            largeNumber(out, perSecond(stats.outPpsScaled), format);
            largeNumber(out, bytesPerSecond(stats.inBpsScaled), format);
            largeNumber(out, bytesPerSecond(stats.outBpsScaled), format);
        } else {
            out.append(svcName).append(' ').append(service.scheduler());
            if (!flags.isEmpty()) {
                out.append(" (").append(flags).append(')');
            }
            if (persistent) {
                out.append(" persistent ").append(Integer.toUnsignedString(service.persistenceTimeoutS()));
                appendMask(out, " mask ", service);
            }
            if (service.onePacket()) {
                out.append(" ops");
            }
            if (service.proxyProtocol() != ServiceSpec.PROXY_PROTOCOL_NONE) {
                out.append(" ppv").append(service.proxyProtocol());
            }
        }
        out.append('\n');
        for (RealServerSnapshot server : ordered(service.realServers(), ListingOrder.REAL_SERVERS, format)) {
            appendRealServer(out, svcName, protocol, server, format, rule);
        }
        if (rule) {
            // DPVS's ipvsadm -S leaves local addresses out, so its save cannot rebuild a full-NAT service
            for (LocalAddressSpec local : service.localAddresses()) {
                out.append("-P ").append(svcName).append(" -z ").append(local.address());
                if (!local.interfaceName().isEmpty()) {
                    out.append(" -F ").append(local.interfaceName());
                }
                out.append('\n');
            }
        }
    }

    /**
     * A mask other than the family's default: an IPv4 one as inet_ntoa prints it, an IPv6 prefix length as "%i"
     * (the default being 255.255.255.255, or 128).
     */
    private static void appendMask(StringBuilder out, String label, ServiceSnapshot service) {
        int mask = service.persistenceNetmask();
        if (service.key().address().isIpv4() ? mask != NO_MASK : mask != IpAddress.Family.IPV6.bits()) {
            out.append(label).append(service.key().address().isIpv4() ? Ipv4.toString(mask) : Integer.toString(mask));
        }
    }

    /**
     * print_tunnel_rule: libipvs reads tun_type 0 (ipip) when the kernel does not report one, so 1.31 always
     * writes the type; gue adds its port, gue and gre their checksum option, even the default --tun-nocsum.
     */
    private static void appendTunnelRule(StringBuilder out, Tunnel tunnel) {
        out.append(" --tun-type ").append(tunnel.type().ipvsadmName());
        if (tunnel.type() == TunnelType.GUE) {
            out.append(" --tun-port ").append(tunnel.port());
        }
        if (tunnel.type() != TunnelType.IPIP) {
            out.append(" --tun-").append(tunnel.checksum().keyword());
        }
    }

    private void appendRealServer(StringBuilder out, String svcName, int protocol, RealServerSnapshot server,
                                  ListFormat format, boolean rule) {
        String dname = endpoint(server.address(), server.port(), protocol, format);
        Stats stats = server.stats();
        if (rule) {
            out.append("-a ").append(svcName).append(" -r ").append(dname).append(' ')
                    .append(server.method().flag()).append(" -w ").append(server.weight());
            if (server.method() == ForwardingMethod.TUNNEL) {
                appendTunnelRule(out, server.tunnel());
            }
            // ipvsadm's -S drops thresholds, so its -S | -R loses them; writing them when set keeps the table
            if (server.upperThreshold() != 0) {
                out.append(" -x ").append(server.upperThreshold());
            }
            if (server.lowerThreshold() != 0) {
                out.append(" -y ").append(server.lowerThreshold());
            }
            out.append('\n');
            return;
        }
        if (server.address().isIpv4()) {
            // dname[28] = '\0' unless the server is IPv6
            dname = truncate(dname, SERVER_NAME_WIDTH);
        }
        if (format.stats()) {
            out.append(String.format(Locale.ROOT, "  -> %-28s", dname));
            appendTotals(out, stats, format);
            out.append('\n');
        } else if (format.rate()) {
            out.append(String.format(Locale.ROOT, "  -> %-28s %8d %8d %8d", dname, perSecond(stats.cpsScaled),
                    perSecond(stats.inPpsScaled), perSecond(stats.outPpsScaled)));
            largeNumber(out, bytesPerSecond(stats.inBpsScaled), format);
            largeNumber(out, bytesPerSecond(stats.outBpsScaled), format);
            out.append('\n');
        } else if (format.thresholds()) {
            out.append(String.format(Locale.ROOT, "  -> %-28s %-10d %-10d %-10d %-10d\n", dname, server.upperThreshold(),
                    server.lowerThreshold(), server.activeConnections(), server.inactiveConnections()));
        } else if (format.persistentConnections()) {
            out.append(String.format(Locale.ROOT, "  -> %-28s %-9d %-11d %-10d %-10d\n", dname, server.weight(),
                    server.persistentConnections(), server.activeConnections(), server.inactiveConnections()));
        } else if (format.tunnelInfo()) {
            String tunnel = server.method() == ForwardingMethod.TUNNEL ? server.tunnel().tunnelInfo() : "n/a";
            out.append(String.format(Locale.ROOT, "  -> %-28s %-7s %-13s %-6d %-10d %-10d\n", dname,
                    server.method().ipvsadmName(), tunnel, server.weight(), server.activeConnections(),
                    server.inactiveConnections()));
        } else {
            out.append(String.format(Locale.ROOT, "  -> %-28s %-7s %-6d %-10d %-10d\n", dname, server.method().ipvsadmName(),
                    server.weight(), server.activeConnections(), server.inactiveConnections()));
        }
    }

    private static void appendTotals(StringBuilder out, Stats stats, ListFormat format) {
        largeNumber(out, stats.connections, format);
        largeNumber(out, stats.inPackets, format);
        largeNumber(out, stats.outPackets, format);
        largeNumber(out, stats.inBytes, format);
        largeNumber(out, stats.outBytes, format);
    }

    /** The kernel's ip_vs_read_estimator(): connections and packets per second are kept << 10, rounded. */
    static long perSecond(long scaled) {
        return Stats.perSecond(scaled);
    }

    /** Bytes per second are kept << 5. */
    static long bytesPerSecond(long scaled) {
        return Stats.bytesPerSecond(scaled);
    }

    /** ipvsadm's print_largenum(): nine columns, K/M/G/T beyond 8 digits unless --exact. */
    static void largeNumber(StringBuilder out, long value, ListFormat format) {
        if (format.exact()) {
            String digits = Long.toUnsignedString(value);
            int width = digits.length() <= 8 ? 9 : digits.length() + 1;
            out.append(" ".repeat(width - digits.length())).append(digits);
        } else if (Long.compareUnsigned(value, 100_000_000L) < 0) {
            out.append(String.format(Locale.ROOT, "%9d", value));
        } else if (Long.compareUnsigned(value, 1_000_000_000L) < 0) {
            out.append(String.format(Locale.ROOT, "%8sK", Long.toUnsignedString(Long.divideUnsigned(value, 1000L))));
        } else if (Long.compareUnsigned(value, 100_000_000_000L) < 0) {
            out.append(String.format(Locale.ROOT, "%8sM", Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000L))));
        } else if (Long.compareUnsigned(value, 100_000_000_000_000L) < 0) {
            out.append(String.format(Locale.ROOT, "%8sG", Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000_000L))));
        } else {
            out.append(String.format(Locale.ROOT, "%8sT", Long.toUnsignedString(Long.divideUnsigned(value, 1_000_000_000_000L))));
        }
    }

    /**
     * ipvsadm's addrport_to_anyname(): numbers with -n, otherwise local names falling back to numbers; an IPv6
     * address in brackets ("%s%s%s:%u" with "[" and "]" unless AF_INET).
     */
    private String endpoint(IpAddress address, int port, int protocol, ListFormat format) {
        if (format.numeric()) {
            return address.withPort(port);
        }
        String host = names.hostName(address);
        String service = names.serviceName(port, protocol);
        String text = host != null ? host : address.toString();
        return (address.isIpv4() ? text : "[" + text + "]") + ":" + (service != null ? service : Integer.toString(port));
    }

    private static String truncate(String text, int length) {
        return text.length() > length ? text.substring(0, length) : text;
    }
}
