package org.jvs.keepalived.config;

import static org.jvs.keepalived.config.KeepalivedSamplesTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.jvs.api.IpAddress;
import org.jvs.api.SyncDaemonSpec;

/** global_defs' lvs_sync_daemon, as keepalived 2.2's lvs_syncd_handler and vrrp_complete_init read it. */
class LvsSyncDaemonConfigTest {
    private static final String INSTANCES = """
            vrrp_instance VI_1 {
              interface d0
              virtual_router_id 51
            }
            vrrp_instance VI_2 {
              interface d1
              virtual_router_id 52
            }
            """;

    @TempDir
    Path dir;

    private KeepalivedConfig parse(String text) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        return KeepalivedConfigParser.parse(file);
    }

    private ConfigException error(String text) throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, text);
        return assertThrows(ConfigException.class, () -> KeepalivedConfigParser.parse(file));
    }

    private static String globalDefs(String line) {
        return "global_defs {\n  " + line + "\n}\n";
    }

    private static List<String> warnings(KeepalivedConfig config) {
        return config.warnings().stream().map(w -> w.keyword() + ":" + w.where().line()).toList();
    }

    @Test
    void shouldReadEveryOptionInAnyOrderAfterTheInterface() throws Exception {
        KeepalivedConfig config = parse(globalDefs("lvs_sync_daemon eth1 VI_2 ttl 3 group 239.1.2.3 id 9 port 9000 "
                + "maxlen 1400") + INSTANCES);
        LvsSyncDaemonConfig sync = config.globalDefs().lvsSyncDaemon();
        assertEquals(new LvsSyncDaemonConfig(sync.where(), "eth1", "VI_2", 9, 1400, IpAddress.ofIpv4(ip(239, 1, 2, 3)), 9000, 3), sync);
        assertEquals(2, sync.where().line());
        assertEquals(new SyncDaemonSpec(SyncDaemonSpec.Role.BACKUP, "eth1", 9, 1400, IpAddress.ofIpv4(ip(239, 1, 2, 3)), 9000, 3),
                sync.daemon(SyncDaemonSpec.Role.BACKUP));
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void shouldTakeAnIpv6GroupTheDaemonThenSyncsOver() throws Exception {
        LvsSyncDaemonConfig sync = parse(globalDefs("lvs_sync_daemon eth1 VI_2 group ff02::8848 port 9000")
                + INSTANCES).globalDefs().lvsSyncDaemon();
        assertEquals(IpAddress.parse("ff02::8848"), sync.daemon(SyncDaemonSpec.Role.MASTER).group());
    }

    @Test
    void shouldTakeTheKernelDefaultsAndSyncIdZeroWithoutAnInstance() throws Exception {
        LvsSyncDaemonConfig sync = parse(globalDefs("lvs_sync_daemon eth0")).globalDefs().lvsSyncDaemon();
        assertEquals(new LvsSyncDaemonConfig(sync.where(), "eth0", null, 0, 0, SyncDaemonSpec.DEFAULT_GROUP,
                SyncDaemonSpec.DEFAULT_PORT, SyncDaemonSpec.DEFAULT_TTL), sync);
        assertEquals(SyncDaemonSpec.of(SyncDaemonSpec.Role.MASTER, "eth0", 0), sync.daemon(SyncDaemonSpec.Role.MASTER));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lvs_sync_daemon eth0 VI_1            | VI_1 | 51",
        "lvs_sync_daemon eth0 inst VI_2       | VI_2 | 52",
        "lvs_sync_daemon eth0 id 0 inst VI_2  | VI_2 | 0",
        "lvs_sync_daemon eth0 VI_1 id 200     | VI_1 | 200",
    })
    void shouldDefaultTheSyncIdToTheInstancesVirtualRouterId(String line, String instance, int syncId)
            throws Exception {
        LvsSyncDaemonConfig sync = parse(INSTANCES + globalDefs(line)).globalDefs().lvsSyncDaemon();
        assertEquals(instance, sync.vrrpInstance());
        assertEquals(syncId, sync.syncId());
    }

    @Test
    void shouldTakeTheOlderBareSyncIdWithAWarningAsKeepalivedDoes() throws Exception {
        KeepalivedConfig config = parse(globalDefs("lvs_sync_daemon eth0 VI_1 7") + INSTANCES);
        assertEquals(7, config.globalDefs().lvsSyncDaemon().syncId());
        assertEquals(List.of("lvs_sync_daemon:2"), warnings(config));
        assertEquals("lvs_sync_daemon: '7' read as the sync id; expected 'id 7' (keepalived: Please use keyword \"id\" "
                + "before lvs_sync_daemon SYNCID)", config.warnings().getFirst().message());
    }

    @Test
    void shouldWarnAndLeaveTheDaemonOutWhenItsInstanceDoesNotExistAsKeepalivedDoes() throws Exception {
        KeepalivedConfig config = parse(globalDefs("lvs_sync_daemon eth0 VI_9 id 3") + INSTANCES);
        assertNull(config.globalDefs().lvsSyncDaemon());
        assertEquals(List.of("lvs_sync_daemon:2"), warnings(config));
        assertEquals("lvs_sync_daemon eth0: no vrrp_instance VI_9; the sync daemon is left out, as keepalived does",
                config.warnings().getFirst().message());
    }

    @Test
    void shouldHaveNoDaemonWithoutTheKeyword() throws Exception {
        assertNull(parse(globalDefs("router_id r1")).globalDefs().lvsSyncDaemon());
        assertNull(GlobalDefs.DEFAULT.lvsSyncDaemon());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lvs_sync_daemon                               | missing value after 'lvs_sync_daemon'; expected an interface name",
        "lvs_sync_daemon a-very-long-interface         | 'a-very-long-interface' after 'lvs_sync_daemon' is not valid; "
                + "expected an interface name of at most 15 characters",
        "lvs_sync_daemon eth0 id 256                   | '256' after 'id' in lvs_sync_daemon is not valid; expected a "
                + "whole number in 0..255",
        "lvs_sync_daemon eth0 id                       | missing value after 'id' in lvs_sync_daemon; expected a whole "
                + "number in 0..255",
        "lvs_sync_daemon eth0 VI_1 x                   | 'x' after 'VI_1' in lvs_sync_daemon is not valid; expected a "
                + "whole number in 0..255",
        "lvs_sync_daemon eth0 maxlen 0                 | '0' after 'maxlen' in lvs_sync_daemon is not valid; expected a "
                + "whole number in 1..65507",
        "lvs_sync_daemon eth0 maxlen 65508             | expected a whole number in 1..65507",
        "lvs_sync_daemon eth0 port 0                   | '0' after 'port' in lvs_sync_daemon is not valid; expected a "
                + "whole number in 1..65535",
        "lvs_sync_daemon eth0 ttl 256                  | '256' after 'ttl' in lvs_sync_daemon is not valid; expected a "
                + "whole number in 1..255",
        "lvs_sync_daemon eth0 group 192.0.2.1          | '192.0.2.1' after 'group' in lvs_sync_daemon is not valid; "
                + "expected a multicast address such as 224.0.0.81 or ff02::81 (IPv4 multicast is 224.0.0.0 to "
                + "239.255.255.255)",
        "lvs_sync_daemon eth0 group mcast.example      | 'mcast.example' after 'group' in lvs_sync_daemon is not valid",
        "lvs_sync_daemon eth0 group 2001:db8::1        | '2001:db8::1' after 'group' in lvs_sync_daemon is not valid; "
                + "expected a multicast address such as 224.0.0.81 or ff02::81 (IPv6 multicast is ff00::/8)",
        "lvs_sync_daemon eth0 group ff02:::1           | 'ff02:::1' after 'group' in lvs_sync_daemon is not valid; "
                + "expected a multicast address such as 224.0.0.81 or ff02::81",
        "lvs_sync_daemon eth0 inst                     | missing value after 'inst' in lvs_sync_daemon; expected a "
                + "vrrp_instance name",
        "lvs_sync_daemon eth0 VI_1 inst VI_2           | lvs_sync_daemon names vrrp instance 'VI_2' after 'VI_1'; "
                + "expected one instance",
        "lvs_sync_daemon eth0 id 1 VI_1                | 'VI_1' is not an lvs_sync_daemon option; expected inst, id, "
                + "maxlen, port, ttl or group followed by its value",
        "lvs_sync_daemon eth0 VI_1 7 9                 | '9' is not an lvs_sync_daemon option",
        "lvs_sync_daemon eth0\\n  lvs_sync_daemon eth1  | lvs_sync_daemon is already given at ",
    })
    void shouldRefuseALineKeepalivedReportsInOneLocatedLine(String line, String message) throws Exception {
        ConfigException e = error(globalDefs(line.replace("\\n", "\n")) + INSTANCES);
        assertTrue(e.getMessage().startsWith(dir.resolve("bad.conf") + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
