package org.jvs.keepalived.config;

import java.util.List;

import org.jvs.api.IpAddress;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.service.Ipv6;

/**
 * {@code lvs_sync_daemon IFNAME [VRRP_INSTANCE | inst VRRP_INSTANCE] [id SYNCID] [maxlen LEN] [port PORT]
 * [ttl TTL] [group ADDR]} in global_defs, read as keepalived 2.2's lvs_syncd_handler reads it: options in any
 * order after the interface, a bare word right after it is the instance and a bare number after that the sync id
 * (an older form keepalived still takes, with a warning). Where keepalived reports a bad value and ignores it,
 * JVS refuses the line, as for every other keyword.
 */
final class LvsSyncDaemonParser {
    /** The sync id before {@link #resolve}: none given, so the instance's virtual_router_id or 0. */
    static final int SYNC_ID_UNSET = -1;
    /** IP_VS_IFNAME_MAXLEN - 1. */
    private static final int INTERFACE_NAME_MAX = 15;
    private static final int MULTICAST_MASK = 0xF0000000;
    private static final long IPV6_MULTICAST_FIRST_BYTE = 0xFF;
    private static final int MULTICAST_NET = 0xE0000000;
    private static final String OPTIONS = "inst, id, maxlen, port, ttl or group";

    private LvsSyncDaemonParser() {
    }

    static LvsSyncDaemonConfig parse(ConfigNode node, Warnings warnings) throws ConfigException {
        String iface = Values.word(node, 1, "an interface name");
        if (iface.length() > INTERFACE_NAME_MAX) {
            throw Values.bad(node, iface, "an interface name of at most " + INTERFACE_NAME_MAX + " characters");
        }
        List<String> words = node.words();
        String instance = null;
        int syncId = SYNC_ID_UNSET;
        int maxLength = 0;
        IpAddress group = SyncDaemonSpec.DEFAULT_GROUP;
        int port = SyncDaemonSpec.DEFAULT_PORT;
        int ttl = SyncDaemonSpec.DEFAULT_TTL;
        for (int i = 2; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "inst" -> {
                    String named = value(node, i, "a vrrp_instance name");
                    if (instance != null) {
                        throw new ConfigException(node.where(), "lvs_sync_daemon names vrrp instance '"
                                + Tokenizer.shorten(named) + "' after '" + Tokenizer.shorten(instance)
                                + "'; expected one instance");
                    }
                    instance = named;
                }
                case "id" -> syncId = number(node, i, 0, 255);
                // the largest UDP payload in an IPv4 datagram: 65535 less the IP and UDP headers
                case "maxlen" -> maxLength = number(node, i, 1, 65535 - 20 - 8);
                case "port" -> port = number(node, i, 1, 65535);
                case "ttl" -> ttl = number(node, i, 1, 255);
                case "group" -> group = group(node, i);
                default -> {
                    if (i == 2) {
                        instance = word;
                        continue;
                    }
                    if (i == 3) {
                        syncId = number(node, i - 1, 0, 255);
                        warnings.each(node.where(), "lvs_sync_daemon", "lvs_sync_daemon: '" + word + "' read as the "
                                + "sync id; expected 'id " + word + "' (keepalived: Please use keyword \"id\" before "
                                + "lvs_sync_daemon SYNCID)");
                        continue;
                    }
                    throw new ConfigException(node.where(), "'" + Tokenizer.shorten(word) + "' is not an "
                            + "lvs_sync_daemon option; expected " + OPTIONS + " followed by its value");
                }
            }
            i++;
        }
        return new LvsSyncDaemonConfig(node.where(), iface, instance, syncId, maxLength, group, port, ttl);
    }

    /**
     * As keepalived once the instances are read: an instance that does not exist is warned about and the sync
     * daemon left out (keepalived "clears the lvs_syncd config"); an unset sync id becomes the instance's
     * virtual_router_id, or 0 without an instance. Null when the daemon is left out.
     */
    static LvsSyncDaemonConfig resolve(LvsSyncDaemonConfig given, List<VrrpInstanceConfig> instances,
                                       Warnings warnings) {
        int syncId = given.syncId() == SYNC_ID_UNSET ? 0 : given.syncId();
        if (given.vrrpInstance() != null) {
            VrrpInstanceConfig instance = instances.stream().filter(v -> v.name().equals(given.vrrpInstance()))
                    .findFirst().orElse(null);
            if (instance == null) {
                warnings.each(given.where(), "lvs_sync_daemon", "lvs_sync_daemon " + given.interfaceName()
                        + ": no vrrp_instance " + Tokenizer.shorten(given.vrrpInstance()) + "; the sync daemon is left "
                        + "out, as keepalived does");
                return null;
            }
            if (given.syncId() == SYNC_ID_UNSET) {
                syncId = instance.virtualRouterId();
            }
        }
        return new LvsSyncDaemonConfig(given.where(), given.interfaceName(), given.vrrpInstance(), syncId,
                given.maxLength(), given.group(), given.port(), given.ttl());
    }

    /** The value after the option at {@code index}. */
    private static String value(ConfigNode node, int index, String expected) throws ConfigException {
        if (index + 1 >= node.size()) {
            throw new ConfigException(node.where(), "missing value after '" + node.words().get(index)
                    + "' in lvs_sync_daemon; expected " + expected);
        }
        return node.words().get(index + 1);
    }

    private static int number(ConfigNode node, int index, int min, int max) throws ConfigException {
        String expected = "a whole number in " + min + ".." + max;
        String token = value(node, index, expected);
        long value = Values.parseUnsigned(token);
        if (value < min || value > max) {
            throw bad(node, index, token, expected);
        }
        return (int) value;
    }

    private static IpAddress group(ConfigNode node, int index) throws ConfigException {
        String expected = "a multicast address such as 224.0.0.81 or ff02::81";
        String token = value(node, index, expected);
        if (Values.isIpv6(token)) {
            IpAddress address;
            try {
                address = IpAddress.ofIpv6(Ipv6.parse(token));
            } catch (IllegalArgumentException notIpv6) {
                throw bad(node, index, token, expected);
            }
            if ((address.hi() >>> 56) != IPV6_MULTICAST_FIRST_BYTE) {
                throw bad(node, index, token, expected + " (IPv6 multicast is ff00::/8)");
            }
            return address;
        }
        long address = Values.parseIpv4(token);
        if (address < 0 || ((int) address & MULTICAST_MASK) != MULTICAST_NET) {
            throw bad(node, index, token, expected + " (IPv4 multicast is 224.0.0.0 to 239.255.255.255)");
        }
        return IpAddress.ofIpv4((int) address);
    }

    private static ConfigException bad(ConfigNode node, int index, String token, String expected) {
        return new ConfigException(node.where(), "'" + Tokenizer.shorten(token) + "' after '" + node.words().get(index)
                + "' in lvs_sync_daemon is not valid; expected " + expected);
    }
}
