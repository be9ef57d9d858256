package org.jvs.check;

import java.net.InetAddress;

/**
 * One health checker of one kind, configured from its {@link CheckSpec}: a single attempt against a real server.
 * Retries, delays and up/down state belong to {@link HealthMonitor}, not here.
 */
public interface Checker {

    /**
     * Checks the real server once, bounded by connect_timeout. Network and program failures are results, not
     * exceptions.
     *
     * @param address the real server's address, IPv4 or IPv6 (connect_ip overrides it)
     * @param port    the real server's port (connect_port overrides it)
     */
    CheckResult check(InetAddress address, int port) throws InterruptedException;

    /** An IPv4 real server, its address as the hot path's int. */
    default CheckResult check(int address, int port) throws InterruptedException {
        return check(Connections.inet(address), port);
    }

    /** The checker for a spec, with ICMP echo through {@link InetAddressIcmpEcho}. */
    static Checker of(CheckSpec spec) {
        return of(spec, new InetAddressIcmpEcho());
    }

    /** The checker for a spec; PING_CHECK sends its echo requests through {@code icmp}. */
    static Checker of(CheckSpec spec, IcmpEcho icmp) {
        return switch (spec) {
            case TcpCheckSpec tcp -> new TcpChecker(tcp);
            case HttpGetSpec http -> new HttpGetChecker(http);
            case MiscCheckSpec misc -> new MiscChecker(misc);
            case UdpCheckSpec udp -> new UdpChecker(udp);
            case PingCheckSpec ping -> new PingChecker(ping, icmp);
            case DnsCheckSpec dns -> new DnsChecker(dns);
            case SmtpCheckSpec smtp -> new SmtpChecker(smtp);
        };
    }
}
