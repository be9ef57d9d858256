package org.jvs.api;

/**
 * One IPVS connection-sync daemon, as ipvsadm --start-daemon and keepalived's lvs_sync_daemon describe it
 * ({@code struct ipvs_daemon_user}): its role, the interface it sends or listens on, the sync id its messages
 * carry (0 on a backup: accept any), the largest message payload, and the multicast group (IPv4 or IPv6, whose
 * family the daemon syncs over), UDP port and TTL.
 */
public record SyncDaemonSpec(Role role, String interfaceName, int syncId, int maxLength, IpAddress group, int port,
                             int ttl) {
    /** The kernel's defaults: 224.0.0.81:8848, TTL 1; a maxlen of 0 means "from the interface's MTU". */
    public static final IpAddress DEFAULT_GROUP = IpAddress.ofIpv4(0xE0000051);
    public static final int DEFAULT_PORT = 8848;
    public static final int DEFAULT_TTL = 1;

    public enum Role {
        MASTER("master"), BACKUP("backup");

        private final String word;

        Role(String word) {
            this.word = word;
        }

        /** ipvsadm's word for the role. */
        public String word() {
            return word;
        }
    }

    public SyncDaemonSpec {
        if (role == null || interfaceName == null || interfaceName.isEmpty() || group == null) {
            throw new IllegalArgumentException("a sync daemon needs a role, an interface and a group");
        }
        if (syncId < 0 || syncId > 255 || maxLength < 0 || maxLength > 65507 || port < 1 || port > 65535
                || ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("sync daemon value out of range: " + syncId + "/" + maxLength + "/"
                    + port + "/" + ttl);
        }
    }

    /** A daemon with the kernel's defaults for everything but role, interface and sync id. */
    public static SyncDaemonSpec of(Role role, String interfaceName, int syncId) {
        return new SyncDaemonSpec(role, interfaceName, syncId, 0, DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL);
    }
}
