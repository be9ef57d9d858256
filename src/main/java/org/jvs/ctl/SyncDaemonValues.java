package org.jvs.ctl;

import java.net.Inet6Address;
import java.net.InetAddress;

import org.jvs.api.IpAddress;
import org.jvs.api.SyncDaemonSpec;

/** The arguments of ipvsadm's sync-daemon options that are more than a number: the role and the group. */
final class SyncDaemonValues {
    /** ipvsadm's DEF_MCAST_IFN: --start-daemon without --mcast-interface (or with an empty one) uses eth0. */
    static final String DEFAULT_INTERFACE = "eth0";
    /** IP_VS_IFNAME_MAXLEN - 1: ipvsadm copies at most this much of --mcast-interface. */
    private static final int INTERFACE_NAME_MAX = 15;
    private static final int MULTICAST_MASK = 0xF0000000;
    private static final int MULTICAST_NET = 0xE0000000;

    private SyncDaemonValues() {
    }

    /** The word after --start-daemon or --stop-daemon, compared as ipvsadm does: case matters. */
    static SyncDaemonSpec.Role role(PoptScanner.Occurrence occurrence) throws CommandLineException {
        for (SyncDaemonSpec.Role role : SyncDaemonSpec.Role.values()) {
            if (role.word().equals(occurrence.argument())) {
                return role;
            }
        }
        // ipvsadm's two messages, "start_daemon" in the --stop-daemon one included
        String message = occurrence.option() == IpvsadmOption.START_DAEMON
                ? "illegal start-daemon parameter specified" : "illegal start_daemon specified";
        throw IpvsadmParser.usage(message + ": '" + occurrence.argument() + "' (expected " + occurrence.spelling()
                + " master or " + occurrence.spelling() + " backup)");
    }

    /** As ipvsadm's strncpy into mcast_ifn: a longer name is cut, and the kernel then finds no such device. */
    static String interfaceName(String text) {
        return text.length() > INTERFACE_NAME_MAX ? text.substring(0, INTERFACE_NAME_MAX) : text;
    }

    /**
     * --mcast-group: ipvsadm takes a text with ':' for IPv6 and anything else for IPv4 (inet_pton, so no host
     * names), and only multicast groups; the daemon then syncs over the group's family.
     */
    static IpAddress group(String text) throws CommandLineException {
        if (text.indexOf(':') >= 0) {
            if (!isIpv6Multicast(text)) {
                throw IpvsadmParser.usage("invalid IPv6 mcast-group `" + text + "' (expected an IPv6 multicast "
                        + "address, ff00::/8, such as ff02::81)");
            }
            return IpAddress.parse(text);
        }
        long address = CNumbers.inetPton4(text);
        if (address < 0 || ((int) address & MULTICAST_MASK) != MULTICAST_NET) {
            throw IpvsadmParser.usage("invalid IPv4 mcast-group `" + text + "' (expected "
                    + IpvsadmOption.MCAST_GROUP.expectedArgument() + ", 224.0.0.0 to 239.255.255.255)");
        }
        return IpAddress.ofIpv4((int) address);
    }

    /** inet_pton(AF_INET6) and IN6_IS_ADDR_MULTICAST; Java's literal parser also takes brackets and scopes. */
    private static boolean isIpv6Multicast(String text) {
        if (text.indexOf('[') >= 0 || text.indexOf('%') >= 0) {
            return false;
        }
        try {
            return InetAddress.ofLiteral(text) instanceof Inet6Address address && address.isMulticastAddress();
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }
}
