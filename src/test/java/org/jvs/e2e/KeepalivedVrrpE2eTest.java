package org.jvs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVS director and a real keepalived (Debian's, VRRP only) as each other's VRRP peer on one LAN, for VRRP v2
 * and v3: the survivor takes the VIP when its master is killed, within the master down interval and a second, and
 * a client reaches the VIP again; keepalived stays BACKUP under a JVS master without a complaint about its adverts,
 * and a SIGTERM of JVS hands the VIP over within a second (its last advert has priority 0). The same over IPv6
 * (VRRPv3 to ff02::12, the VIP moved by unsolicited neighbour advertisements), and between two JVS directors.
 */
@Tag("netns")
class KeepalivedVrrpE2eTest {
    static final String VIP = "198.51.100.100";
    static final String VIP6_PREFIX = "2001:db8:51::";
    static final String VIP6 = VIP6_PREFIX + "100";
    static final String KEEPALIVED = "/usr/sbin/keepalived";
    /** v2 with priority 100: 3 x 1 s + (256 - 100) / 256 s. */
    static final Duration MASTER_DOWN_INTERVAL = Duration.ofMillis(3_610);
    static final Duration STARTUP = Duration.ofSeconds(30);
    /** How long keepalived must stay BACKUP under a JVS master without a complaint about its adverts. */
    static final Duration QUIET_UNDER_JVS = Duration.ofMinutes(1);

    private Lab lab;
    private String keepalivedNs;
    private String jvsNs;
    private String clientNs;

    private void lan() {
        lan("vrrp");
    }

    private void lan(String labName) {
        lab = new Lab(labName);
        String lan = lab.addNamespace("lan");
        keepalivedNs = lab.addNamespace("ka");
        jvsNs = lab.addNamespace("jvs");
        clientNs = lab.addNamespace("cl");
        lab.veth(lan, "p-ka", keepalivedNs, "eth0");
        lab.veth(lan, "p-jvs", jvsNs, "eth0");
        lab.veth(lan, "p-cl", clientNs, "eth0");
        lab.bridge(lan, "br0", "p-ka", "p-jvs", "p-cl");
        lab.address(keepalivedNs, "eth0", "198.51.100.2/24");
        lab.address(jvsNs, "eth0", "198.51.100.3/24");
        lab.address(clientNs, "eth0", "198.51.100.10/24");
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "VRRP v{0}")
    @ValueSource(ints = {2, 3})
    void shouldTakeTheVipWhenTheKeepalivedMasterIsKilled(int version) throws Exception {
        lan();
        Background keepalived = keepalived(version, "MASTER", 150);
        awaitLog(keepalived, "Entering MASTER STATE");
        Background jvs = jvs(version, "BACKUP", 100);
        awaitLog(jvs, "Entering BACKUP STATE");
        Background.sleep(MASTER_DOWN_INTERVAL.toMillis() + 1_000);
        assertThat(jvs.output()).as("JVS stays BACKUP under a live master").doesNotContain("Entering MASTER STATE");
        assertThat(holdsVip(jvsNs)).isFalse();
        assertThat(holdsVip(keepalivedNs)).isTrue();
        assertThat(ping()).as("the client reaches the VIP on keepalived").isTrue();
        assertThat(status()).contains("VRRP_Instance(VI_1) BACKUP on eth0, virtual router 51, version " + version
                + ", priority 100, master 198.51.100.2, since ");

        Duration takeover = takeover(keepalived::kill, () -> holdsVip(jvsNs), jvs,
                MASTER_DOWN_INTERVAL.plusSeconds(1));
        System.out.printf("VRRP v%d: JVS held the VIP %d ms after keepalived was killed%n", version,
                takeover.toMillis());
        assertThat(ping()).as("the client reaches the VIP on JVS (gratuitous ARP moved it)").isTrue();
    }

    @ParameterizedTest(name = "VRRP v{0}")
    @ValueSource(ints = {2, 3})
    void shouldKeepKeepalivedBackupAndHandOverOnSigterm(int version) throws Exception {
        lan();
        Background jvs = jvs(version, "MASTER", 150);
        awaitLog(jvs, "Entering MASTER STATE");
        Background keepalived = keepalived(version, "BACKUP", 100);
        awaitLog(keepalived, "Entering BACKUP STATE");
        Background.sleep(QUIET_UNDER_JVS.toMillis());
        assertKeepalivedQuietBackup(keepalived);
        assertThat(holdsVip(jvsNs)).isTrue();
        assertThat(ping()).as("the client reaches the VIP on JVS").isTrue();
        assertThat(status()).contains("VRRP_Instance(VI_1) MASTER on eth0, virtual router 51, version " + version
                + ", priority 150, master 198.51.100.3 (this director), since ").doesNotContain("other masters");

        Duration handover = handOverToKeepalived(jvs, keepalived);
        System.out.printf("VRRP v%d: keepalived was MASTER %d ms after SIGTERM to JVS%n", version,
                handover.toMillis());
        assertThat(holdsVip(jvsNs)).as("JVS removed the VIP on its way out").isFalse();
    }

    @org.junit.jupiter.api.Test
    void shouldHandTheVipToKeepalivedWhileATrackedScriptFailsAndTakeItBackAfter() throws Exception {
        lan();
        Path healthy = lab.workDir().resolve("healthy");
        Files.writeString(healthy, "ok");
        Background jvs = jvs("""
                vrrp_script chk_health {
                    script "/usr/bin/test -f %s"
                    interval 1
                    fall 1
                    rise 1
                    weight -60
                }
                """.formatted(healthy) + instance(2, "MASTER", 150).replace("    advert_int 1",
                "    advert_int 1\n    track_script {\n        chk_health\n    }"));
        awaitLog(jvs, "Entering MASTER STATE");
        Background keepalived = keepalived(2, "BACKUP", 100);
        awaitLog(keepalived, "Entering BACKUP STATE");

        Files.delete(healthy);
        awaitLog(jvs, "VRRP_Script(chk_health) failed");
        awaitLog(keepalived, "Entering MASTER STATE");
        awaitLog(jvs, "Entering BACKUP STATE");
        assertThat(status()).contains("VRRP_Instance(VI_1) BACKUP").contains("priority 90, master 198.51.100.2");

        Files.writeString(healthy, "ok");
        awaitLog(jvs, "VRRP_Script(chk_health) succeeded");
        long backNs = System.nanoTime();
        while (!status().contains("VRRP_Instance(VI_1) MASTER") && System.nanoTime() - backNs < 10_000_000_000L) {
            Background.sleep(100);
        }
        assertThat(status()).contains("VRRP_Instance(VI_1) MASTER").contains("priority 150");
        assertThat(holdsVip(jvsNs)).isTrue();
    }

    /** A tracked interface going down puts the JVS master in FAULT (keepalived takes over); back up, JVS preempts. */
    @org.junit.jupiter.api.Test
    void shouldLeaveMasterWhileATrackedInterfaceIsDownAndPreemptWhenItIsBack() throws Exception {
        lan();
        lab.veth(lab.addNamespace("up"), "p-up", jvsNs, "eth1");
        Background jvs = jvs(instance(2, "MASTER", 150).replace("    advert_int 1",
                "    advert_int 1\n    track_interface {\n        eth1\n    }"));
        awaitLog(jvs, "Entering MASTER STATE");
        Background keepalived = keepalived(2, "BACKUP", 100);
        awaitLog(keepalived, "Entering BACKUP STATE");

        lab.check(jvsNs, "ip", "link", "set", "eth1", "down");
        awaitLog(jvs, "Entering FAULT STATE");
        awaitLog(keepalived, "Entering MASTER STATE");
        assertThat(status()).contains("VRRP_Instance(VI_1) FAULT");
        assertThat(holdsVip(jvsNs)).isFalse();

        lab.check(jvsNs, "ip", "link", "set", "eth1", "up");
        long upNs = System.nanoTime();
        while (!status().contains("VRRP_Instance(VI_1) MASTER") && System.nanoTime() - upNs < 10_000_000_000L) {
            Background.sleep(100);
        }
        assertThat(status()).contains("VRRP_Instance(VI_1) MASTER");
        assertThat(holdsVip(jvsNs)).isTrue();
    }

    /**
     * Two instances in a vrrp_sync_group on two LANs (the VIP facing clients, a gateway facing real servers): when
     * one member goes to FAULT the other leaves MASTER too, so keepalived takes both, not just one.
     */
    @org.junit.jupiter.api.Test
    void shouldMoveEveryMemberOfASyncGroupWhenOneFaults() throws Exception {
        lan();
        String lan2 = lab.addNamespace("lan2");
        lab.veth(lan2, "q-ka", keepalivedNs, "eth1");
        lab.veth(lan2, "q-jvs", jvsNs, "eth1");
        lab.bridge(lan2, "br1", "q-ka", "q-jvs");
        lab.address(keepalivedNs, "eth1", "192.0.2.2/24");
        lab.address(jvsNs, "eth1", "192.0.2.3/24");
        Background jvs = jvs(syncPair("MASTER", 150));
        awaitLog(jvs, "VRRP_Instance(VI_2) Entering MASTER STATE");
        Background keepalived = keepalived(syncPair("BACKUP", 100));
        awaitLog(keepalived, "(VI_1) Entering BACKUP STATE");

        lab.check(jvsNs, "ip", "link", "set", "eth1", "down");
        awaitLog(jvs, "VRRP_Instance(VI_1) Entering FAULT STATE");
        awaitLog(keepalived, "(VI_1) Entering MASTER STATE");
        assertThat(holdsVip(jvsNs)).as("the client-side VIP left with its group").isFalse();
        assertThat(status()).contains("VRRP_Instance(VI_1) FAULT").contains("VRRP_Instance(VI_2) FAULT");
    }

    /**
     * ./jvs reload lowers the priority of JVS's master below keepalived's, which preempts it once the adverts carry
     * the new priority; a second reload raises it again and JVS preempts keepalived. JVS's other instance, the same in
     * both files, stays MASTER throughout: no state change, and its VIP never leaves. Then a file with an instance
     * that cannot run changes nothing, and one that swaps that instance for another removes and starts them.
     */
    @org.junit.jupiter.api.Test
    void shouldApplyAPriorityChangeByReloadAndLeaveAnUnchangedInstanceAlone() throws Exception {
        lan("vrrprl");
        String other = """
                vrrp_instance VI_2 {
                    state MASTER
                    interface eth0
                    virtual_router_id 52
                    priority 100
                    advert_int 1
                    virtual_ipaddress {
                        198.51.100.101/24
                    }
                }
                """;
        Background jvs = jvs(instance(2, "MASTER", 150) + other);
        awaitLog(jvs, "VRRP_Instance(VI_1) Entering MASTER STATE");
        awaitLog(jvs, "VRRP_Instance(VI_2) Entering MASTER STATE");
        Background keepalived = keepalived(2, "BACKUP", 100);
        awaitLog(keepalived, "Entering BACKUP STATE");
        String vi2Since = statusLine("VI_2");

        Files.writeString(lab.workDir().resolve("jvs.conf"), instance(2, "MASTER", 50) + other);
        CommandResult lowered = lab.run(jvsNs, Launchers.JVS, "reload");
        assertThat(lowered.ok()).as(lowered.describe()).isTrue();
        awaitLog(keepalived, "Entering MASTER STATE");
        awaitLog(jvs, "VRRP_Instance(VI_1) Entering BACKUP STATE");
        assertThat(statusLine("VI_1")).contains("BACKUP").contains("priority 50, master 198.51.100.2");
        assertThat(holdsVip(keepalivedNs)).isTrue();

        Files.writeString(lab.workDir().resolve("jvs.conf"), instance(2, "MASTER", 150) + other);
        CommandResult raised = lab.run(jvsNs, Launchers.JVS, "reload");
        assertThat(raised.ok()).as(raised.describe()).isTrue();
        long raisedNs = System.nanoTime();
        while (!statusLine("VI_1").contains("MASTER") && System.nanoTime() - raisedNs < 10_000_000_000L) {
            Background.sleep(100);
        }
        assertThat(statusLine("VI_1")).contains("MASTER").contains("priority 150");
        awaitLog(keepalived, "Entering BACKUP STATE");
        assertThat(holdsVip(jvsNs)).isTrue();

        String sinceReload = jvs.output().substring(jvs.output().indexOf("VRRP_Instance(VI_1) takes its new settings"));
        assertThat(sinceReload).as("JVS's log since the first reload").doesNotContain("VRRP_Instance(VI_2) Entering")
                .contains("1 unchanged, 1 changed, 0 new, 0 removed");
        assertThat(statusLine("VI_2")).isEqualTo(vi2Since);
        assertThat(lab.run(jvsNs, "ip", "-4", "addr", "show", "dev", "eth0").stdout())
                .contains("inet 198.51.100.101/24");

        // an instance on an interface this director does not have: the reload is refused whole
        String replacement = other.replace("VI_2", "VI_3").replace("virtual_router_id 52", "virtual_router_id 53")
                .replace("198.51.100.101", "198.51.100.102");
        Files.writeString(lab.workDir().resolve("jvs.conf"), instance(2, "MASTER", 150)
                + replacement.replace("interface eth0", "interface eth9"));
        CommandResult refused = lab.run(jvsNs, Launchers.JVS, "reload");
        assertThat(refused.ok()).isFalse();
        assertThat(refused.stderr()).contains("no interface eth9").contains("nothing changed");
        assertThat(statusLine("VI_2")).isEqualTo(vi2Since);

        // VI_2 removed (its address leaves eth0), VI_3 new (BACKUP, then MASTER alone on its VRID)
        Files.writeString(lab.workDir().resolve("jvs.conf"), instance(2, "MASTER", 150) + replacement);
        CommandResult replaced = lab.run(jvsNs, Launchers.JVS, "reload");
        assertThat(replaced.ok()).as(replaced.describe()).isTrue();
        awaitLog(jvs, "VRRP_Instance(VI_2) removed by reload");
        awaitLog(jvs, "VRRP_Instance(VI_3) Entering MASTER STATE");
        assertThat(statusLine("VI_2")).isEmpty();
        assertThat(statusLine("VI_1")).contains("MASTER");
        String addresses = lab.run(jvsNs, "ip", "-4", "addr", "show", "dev", "eth0").stdout();
        assertThat(addresses).doesNotContain("inet 198.51.100.101/").contains("inet 198.51.100.102/24");
    }

    /**
     * A vrrp_sync_group's own notify scripts, run by JVS and by keepalived on the same group (each alone on its
     * VRIDs): the same lines, BACKUP at start, MASTER once both members are, STOP at shutdown.
     */
    @org.junit.jupiter.api.Test
    void shouldRunASyncGroupsNotifyScriptsAsKeepalivedDoes() throws Exception {
        lan("vrrpgn");
        Path jvsOut = lab.workDir().resolve("jvs-notify");
        Path keepalivedOut = lab.workDir().resolve("keepalived-notify");
        Background jvs = jvs(notifyingGroup(appender(jvsOut), 61));
        Background keepalived = keepalived(notifyingGroup(appender(keepalivedOut), 71));
        awaitLog(jvs, "VRRP_Group(G) MASTER");
        awaitLog(keepalived, "(VI_2) Entering MASTER STATE");
        Background.sleep(500);
        lab.stop(jvs);
        lab.stop(keepalived);
        Background.sleep(500);

        // each script runs on its own, so lines of one change may come in either order
        java.util.List<String> expected = java.util.List.of("GROUP G BACKUP 0", "GROUP G MASTER 0", "GROUP G STOP 0",
                "backup", "master", "stop");
        assertThat(Files.readAllLines(keepalivedOut).stream().sorted().toList()).as("keepalived's, the reference")
                .isEqualTo(expected);
        assertThat(Files.readAllLines(jvsOut).stream().sorted().toList()).as("JVS's; log:\n" + jvs.tail(20))
                .isEqualTo(expected);
        assertThat(Files.readAllLines(jvsOut).indexOf("GROUP G BACKUP 0"))
                .isLessThan(Files.readAllLines(jvsOut).indexOf("GROUP G MASTER 0"));
    }

    /** A script that appends its arguments, one line per run, to {@code out}. */
    private Path appender(Path out) throws IOException {
        Path script = lab.workDir().resolve(out.getFileName() + ".sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + out + "\n");
        assertThat(script.toFile().setExecutable(true, false)).isTrue();
        return script;
    }

    /** Two instances on eth0 in group G whose notify scripts are {@code script} with an argument or keepalived's. */
    private static String notifyingGroup(Path script, int firstVrid) {
        return """
                vrrp_sync_group G {
                    group {
                        VI_1
                        VI_2
                    }
                    notify_master "%1$s master"
                    notify_backup "%1$s backup"
                    notify_stop "%1$s stop"
                    notify %1$s
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id %2$d
                    advert_int 1
                    virtual_ipaddress {
                        198.51.100.1%2$d/24
                    }
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id %3$d
                    advert_int 1
                    virtual_ipaddress {
                        198.51.100.1%3$d/24
                    }
                }
                """.formatted(script, firstVrid, firstVrid + 1);
    }

    private String statusLine(String instance) {
        return status().lines().filter(line -> line.startsWith("VRRP_Instance(" + instance + ")")).findFirst()
                .orElse("");
    }

    private static String syncPair(String state, int priority) {
        return """
                vrrp_sync_group G {
                    group {
                        VI_1
                        VI_2
                    }
                }
                vrrp_instance VI_1 {
                    state %1$s
                    interface eth0
                    virtual_router_id 51
                    priority %2$d
                    advert_int 1
                    virtual_ipaddress {
                        %3$s/24
                    }
                }
                vrrp_instance VI_2 {
                    state %1$s
                    interface eth1
                    virtual_router_id 52
                    priority %2$d
                    advert_int 1
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                """.formatted(state, priority, VIP);
    }

    /**
     * Two masters for one virtual router: a mismatched advert interval makes each drop the other's adverts (as
     * keepalived's vrrp_check_packet does), so neither yields. JVS logs the other master once, with both addresses,
     * and ./jvs status names it and counts its adverts. JVS takes the longer interval: keepalived 2.2.7 as MASTER
     * re-arms its advert timer on every packet it receives, dropped ones included, so under a peer advertising
     * more often than itself it falls silent after its first advert.
     */
    @org.junit.jupiter.api.Test
    void shouldDetectLogOnceAndCountASecondMaster() throws Exception {
        lan();
        Background jvs = jvs(instance(2, "MASTER", 150).replace("advert_int 1", "advert_int 2"));
        awaitLog(jvs, "Entering MASTER STATE");
        Background keepalived = keepalived(2, "MASTER", 100);
        awaitLog(keepalived, "Entering MASTER STATE");
        awaitLog(jvs, "another master for virtual router 51");
        int before = otherMasterAdverts();
        Background.sleep(6_000);
        int after = otherMasterAdverts();

        // keepalived re-arms its 1 s timer on each of JVS's adverts (every 2 s), so it sends one every 2 s at least
        assertThat(after - before).as("keepalived's adverts counted in 6 s; keepalived:\n" + keepalived.output())
                .isGreaterThanOrEqualTo(2);
        assertThat(jvs.output().split("another master for virtual router 51", -1)).as("logged once").hasSize(2);
        assertThat(jvs.output()).contains("198.51.100.2 (priority 100) besides this one (198.51.100.3, priority 150)");
        assertThat(holdsVip(jvsNs)).as("JVS stays master").isTrue();
    }

    /** From ./jvs status: the adverts of 198.51.100.2 counted while JVS was master. */
    private int otherMasterAdverts() {
        String status = status();
        java.util.regex.Matcher counted = Pattern.compile(
                "other masters seen: 198\\.51\\.100\\.2 \\((\\d+) adverts while master\\)").matcher(status);
        assertThat(counted.find()).as("./jvs status: " + status).isTrue();
        return Integer.parseInt(counted.group(1));
    }

    /** unicast_src_ip and unicast_peer instead of the multicast group, both ways. */
    @org.junit.jupiter.api.Test
    void shouldFailOverWithUnicastAdverts() throws Exception {
        lan();
        Background keepalived = keepalived(unicast(instance(2, "MASTER", 150), "198.51.100.2", "198.51.100.3"));
        awaitLog(keepalived, "Entering MASTER STATE");
        Background jvs = jvs(unicast(instance(2, "BACKUP", 100), "198.51.100.3", "198.51.100.2"));
        awaitLog(jvs, "Entering BACKUP STATE");
        Background.sleep(MASTER_DOWN_INTERVAL.toMillis() + 1_000);
        assertThat(jvs.output()).as("JVS hears keepalived's unicast adverts").doesNotContain("Entering MASTER STATE");
        assertThat(status()).contains("master 198.51.100.2,");

        keepalived.kill();
        awaitLog(jvs, "Entering MASTER STATE");
        assertThat(holdsVip(jvsNs)).isTrue();
        assertThat(ping()).isTrue();
    }

    /**
     * Two JVS directors (the peer namespace runs the first) with an IPv6 instance: the master holds the IPv6 VIP and
     * has joined ff02::12, the backup says BACKUP under it; after a SIGTERM to the master the backup holds the VIP
     * within the master down interval, and its unsolicited neighbour advertisements (Override) have moved the
     * client's neighbour entry to its MAC before the client sent anything.
     */
    @org.junit.jupiter.api.Test
    void shouldFailAnIpv6VipOverBetweenTwoJvsDirectorsAndMoveTheClientsNeighbourEntry() throws Exception {
        lan6("vr6jj");
        Background first = jvs(keepalivedNs, "jvs-first", instance6("MASTER", 150));
        awaitLog(first, "Entering MASTER STATE");
        Background second = jvs(jvsNs, "jvs", instance6("BACKUP", 100));
        awaitLog(second, "Entering BACKUP STATE");
        Background.sleep(MASTER_DOWN_INTERVAL.toMillis() + 1_000);
        assertThat(second.output()).as("the backup under a live IPv6 master").doesNotContain("Entering MASTER STATE")
                .doesNotContain("ignores an advert");
        assertThat(holdsVip6(keepalivedNs)).isTrue();
        assertThat(holdsVip6(jvsNs)).isFalse();
        assertThat(lab.run(keepalivedNs, "ip", "-6", "maddr", "show", "dev", "eth0").stdout()).contains("ff02::12");
        assertThat(status(jvsNs)).contains("VRRP_Instance(VI_6) BACKUP on eth0, virtual router 61, version 3,"
                + " priority 100, master " + linkLocal(keepalivedNs) + ", since ");
        assertThat(status(keepalivedNs)).contains("VRRP_Instance(VI_6) MASTER on eth0, virtual router 61, version 3,"
                + " priority 150, master " + linkLocal(keepalivedNs) + " (this director), since ");
        assertThat(ping6()).as("the client reaches the IPv6 VIP on the first director").isTrue();
        assertThat(clientNeighbourMac()).isEqualTo(mac(keepalivedNs));

        Duration takeover = takeover(() -> lab.stop(first), () -> holdsVip6(jvsNs), second, MASTER_DOWN_INTERVAL);
        System.out.printf("VRRP over IPv6: the JVS backup held the VIP %d ms after SIGTERM to the JVS master%n",
                takeover.toMillis());
        assertThat(awaitClientNeighbourMac(mac(jvsNs))).as("the client's neighbour entry after the unsolicited NAs")
                .isEqualTo(mac(jvsNs));
        assertThat(holdsVip6(keepalivedNs)).as("the first director removed the VIP on its way out").isFalse();
        assertThat(ping6()).as("the client reaches the IPv6 VIP on the second director").isTrue();
    }

    /**
     * A dual-stack pair (examples/keepalived/ha-dual-stack.conf's VRRP part): an IPv4 and an IPv6 instance with the
     * same VRID on one interface, in one sync group, between two JVS directors; both VIPs move together.
     */
    @org.junit.jupiter.api.Test
    void shouldMoveADualStackSyncGroupBetweenTwoJvsDirectors() throws Exception {
        lan6("vr6ds");
        Background first = jvs(keepalivedNs, "jvs-first", dualStack("MASTER", 150));
        awaitLog(first, "VRRP_Group(WEB) MASTER");
        Background second = jvs(jvsNs, "jvs", dualStack("BACKUP", 100));
        awaitLog(second, "VRRP_Group(WEB) BACKUP");
        Background.sleep(MASTER_DOWN_INTERVAL.toMillis() + 1_000);
        assertThat(second.output()).doesNotContain("Entering MASTER STATE").doesNotContain("ignores an advert");
        assertThat(holdsVip(keepalivedNs) && holdsVip6(keepalivedNs)).as("the first holds both VIPs").isTrue();
        assertThat(holdsVip(jvsNs) || holdsVip6(jvsNs)).as("the second holds neither").isFalse();
        assertThat(status(jvsNs)).contains("VRRP_Instance(VI_WEB4) BACKUP on eth0, virtual router 51, version 2,"
                + " priority 100, master 198.51.100.2,").contains("VRRP_Instance(VI_WEB6) BACKUP on eth0, virtual"
                + " router 51, version 3, priority 100, master " + linkLocal(keepalivedNs) + ",");

        takeover(() -> lab.stop(first), () -> holdsVip(jvsNs) && holdsVip6(jvsNs), second, MASTER_DOWN_INTERVAL);
        assertThat(ping()).isTrue();
        assertThat(ping6()).isTrue();
    }

    /** The VRRP part of examples/keepalived/ha-dual-stack.conf, with the lab's VIPs. */
    private static String dualStack(String state, int priority) throws IOException {
        String example = Files.readString(Path.of("examples/keepalived/ha-dual-stack.conf"));
        return example.substring(example.indexOf("vrrp_sync_group"), example.indexOf("virtual_server"))
                .replace("state MASTER", "state " + state).replace("priority 150", "priority " + priority)
                .replace("203.0.113.10/24", VIP + "/24").replace("2001:db8:10::10/64", VIP6 + "/64");
    }

    /**
     * A JVS master and a higher priority advert for its IPv6 instance from a third host: with hop limit 64 (routed)
     * it is ignored and said so once; the same advert with hop limit 255 makes the master yield.
     */
    @org.junit.jupiter.api.Test
    void shouldIgnoreAnIpv6AdvertWhoseHopLimitIsNot255() throws Exception {
        lan6("vr6hl");
        Background jvs = jvs(instance6("MASTER", 150));
        awaitLog(jvs, "Entering MASTER STATE");

        advertFromClient(64);
        jvs.awaitLine(Pattern.quote("ignores an advert from " + linkLocal(clientNs) + " with hop limit 64"),
                Duration.ofSeconds(5));
        assertThat(jvs.output()).contains("VRRP_Instance(VI_6) ignores an advert from " + linkLocal(clientNs)
                + " with hop limit 64 (expected 255: the advert was routed)");
        assertThat(sinceMaster(jvs)).doesNotContain("Entering BACKUP STATE");

        advertFromClient(255);
        long sentNs = System.nanoTime();
        while (!sinceMaster(jvs).contains("Entering BACKUP STATE")
                && System.nanoTime() - sentNs < Duration.ofSeconds(5).toNanos()) {
            Background.sleep(20);
        }
        assertThat(sinceMaster(jvs)).as("the master yields to priority 200 at hop limit 255")
                .contains("Entering BACKUP STATE");
        assertThat(status()).contains("master " + linkLocal(clientNs) + ",");
    }

    /** The log from the instance's entering MASTER on. */
    private static String sinceMaster(Background jvs) {
        String log = jvs.output();
        return log.substring(Math.max(0, log.indexOf("Entering MASTER STATE")));
    }

    /** One VRRPv3 advert for VI_6 (VRID 61, the VIP) with priority 200 from the client, at this hop limit. */
    private void advertFromClient(int hopLimit) {
        org.jvs.service.Ipv6 vip = org.jvs.service.Ipv6.parse(VIP6);
        // v3 advertisement, VRID 61, priority 200, 1 address, 100 cs, checksum left to the kernel (IPV6_CHECKSUM)
        String advert = "31" + "3d" + "c8" + "01" + "0064" + "0000" + "%016x%016x".formatted(vip.hi(), vip.lo());
        CommandResult sent = lab.run(clientNs, "python3", "-c", "import socket\n"
                + "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)\n"
                + "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, 6)\n"
                + "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, " + hopLimit + ")\n"
                + "s.sendto(bytes.fromhex('" + advert + "'), ('ff02::12', 0, 0, socket.if_nametoindex('eth0')))\n");
        assertThat(sent.ok()).as(sent.describe()).isTrue();
    }

    /** keepalived's IPv6 master killed: the JVS backup takes the VIP and moves the client's neighbour entry. */
    @org.junit.jupiter.api.Test
    void shouldTakeAnIpv6VipWhenTheKeepalivedMasterIsKilled() throws Exception {
        lan6("vr6ka");
        Background keepalived = keepalived(instance6("MASTER", 150));
        awaitLog(keepalived, "Entering MASTER STATE");
        Background jvs = jvs(instance6("BACKUP", 100));
        awaitLog(jvs, "Entering BACKUP STATE");
        Background.sleep(MASTER_DOWN_INTERVAL.toMillis() + 1_000);
        assertThat(jvs.output()).as("JVS under keepalived's IPv6 adverts").doesNotContain("Entering MASTER STATE")
                .doesNotContain("ignores an advert");
        assertThat(status()).contains("VRRP_Instance(VI_6) BACKUP on eth0, virtual router 61, version 3,"
                + " priority 100, master " + linkLocal(keepalivedNs) + ", since ");
        assertThat(ping6()).isTrue();
        assertThat(clientNeighbourMac()).isEqualTo(mac(keepalivedNs));

        Duration takeover = takeover(keepalived::kill, () -> holdsVip6(jvsNs), jvs,
                MASTER_DOWN_INTERVAL.plusSeconds(1));
        System.out.printf("VRRP over IPv6: JVS held the VIP %d ms after keepalived was killed%n", takeover.toMillis());
        assertThat(awaitClientNeighbourMac(mac(jvsNs))).isEqualTo(mac(jvsNs));
        assertThat(ping6()).isTrue();
    }

    /** keepalived stays an IPv6 BACKUP under a JVS master without a complaint, and takes over at its SIGTERM. */
    @org.junit.jupiter.api.Test
    void shouldKeepAnIpv6KeepalivedBackupQuietAndHandOverOnSigterm() throws Exception {
        lan6("vr6kb");
        Background jvs = jvs(instance6("MASTER", 150));
        awaitLog(jvs, "Entering MASTER STATE");
        Background keepalived = keepalived(instance6("BACKUP", 100));
        awaitLog(keepalived, "Entering BACKUP STATE");
        Background.sleep(3 * MASTER_DOWN_INTERVAL.toMillis());
        assertKeepalivedQuietBackup(keepalived);
        assertThat(holdsVip6(jvsNs)).isTrue();
        assertThat(ping6()).isTrue();
        assertThat(clientNeighbourMac()).isEqualTo(mac(jvsNs));

        Duration handover = handOverToKeepalived(jvs, keepalived);
        System.out.printf("VRRP over IPv6: keepalived was MASTER %d ms after SIGTERM to JVS%n", handover.toMillis());
        assertThat(holdsVip6(jvsNs)).as("JVS removed the VIP on its way out").isFalse();
        assertThat(awaitClientNeighbourMac(mac(keepalivedNs))).isEqualTo(mac(keepalivedNs));
    }

    /** unicast_src_ip and unicast_peer over IPv6: keepalived's unicast adverts heard (their hop limit the kernel's). */
    @org.junit.jupiter.api.Test
    void shouldFailOverWithIpv6UnicastAdverts() throws Exception {
        lan6("vr6uc");
        lab.address(keepalivedNs, "eth0", VIP6_PREFIX + "2/64");
        lab.address(jvsNs, "eth0", VIP6_PREFIX + "3/64");
        Background keepalived = keepalived(unicast(instance6("MASTER", 150), VIP6_PREFIX + "2", VIP6_PREFIX + "3"));
        awaitLog(keepalived, "Entering MASTER STATE");
        Background jvs = jvs(unicast(instance6("BACKUP", 100), VIP6_PREFIX + "3", VIP6_PREFIX + "2"));
        awaitLog(jvs, "Entering BACKUP STATE");
        Background.sleep(MASTER_DOWN_INTERVAL.toMillis() + 1_000);
        assertThat(jvs.output()).as("JVS hears keepalived's unicast adverts").doesNotContain("Entering MASTER STATE")
                .doesNotContain("ignores an advert");
        assertThat(status()).contains("master " + VIP6_PREFIX + "2,");

        keepalived.kill();
        awaitLog(jvs, "Entering MASTER STATE");
        assertThat(holdsVip6(jvsNs)).isTrue();
        assertThat(ping6()).isTrue();
    }

    /** The LAN with IPv6: the client on the VIP's prefix, and every link-local address past duplicate detection. */
    private void lan6(String labName) {
        lan(labName);
        lab.address(clientNs, "eth0", VIP6_PREFIX + "10/64");
        for (String ns : java.util.List.of(keepalivedNs, jvsNs, clientNs)) {
            long start = System.nanoTime();
            while (linkLocal(ns).isEmpty() && System.nanoTime() - start < STARTUP.toNanos()) {
                Background.sleep(100);
            }
            assertThat(linkLocal(ns)).as("a link-local address on eth0 in " + ns).isNotEmpty();
        }
    }

    /** eth0's link-local address once duplicate detection is done, "" before. */
    private String linkLocal(String ns) {
        String shown = lab.run(ns, "ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "link").stdout();
        java.util.regex.Matcher address = Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64").matcher(shown);
        return address.find() && !shown.contains("tentative") ? address.group(1) : "";
    }

    private static String instance6(String state, int priority) {
        return """
                vrrp_instance VI_6 {
                    state %s
                    interface eth0
                    virtual_router_id 61
                    priority %d
                    advert_int 1
                    virtual_ipaddress {
                        %s/64
                    }
                }
                """.formatted(state, priority, VIP6);
    }

    private boolean holdsVip6(String ns) {
        return lab.run(ns, "ip", "-6", "addr", "show", "dev", "eth0").stdout().contains("inet6 " + VIP6 + "/64");
    }

    private boolean ping6() {
        return lab.run(clientNs, Duration.ofSeconds(10), "ping", "-6", "-c", "1", "-W", "2", VIP6).ok();
    }

    private String mac(String ns) {
        String shown = lab.run(ns, "ip", "-o", "link", "show", "dev", "eth0").stdout();
        java.util.regex.Matcher mac = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(shown);
        assertThat(mac.find()).as(shown).isTrue();
        return mac.group(1);
    }

    /** The MAC the client's neighbour cache has for the VIP, "" when it has none. */
    private String clientNeighbourMac() {
        String shown = lab.run(clientNs, "ip", "-6", "neigh", "show", VIP6, "dev", "eth0").stdout();
        java.util.regex.Matcher mac = Pattern.compile("lladdr ([0-9a-f:]{17})").matcher(shown);
        return mac.find() ? mac.group(1) : "";
    }

    /** The client's MAC for the VIP once it is {@code expected}, or what it is after 3 s (without traffic of its own). */
    private String awaitClientNeighbourMac(String expected) {
        long start = System.nanoTime();
        while (!clientNeighbourMac().equals(expected) && System.nanoTime() - start < Duration.ofSeconds(3).toNanos()) {
            Background.sleep(50);
        }
        return clientNeighbourMac();
    }

    private static String unicast(String instance, String source, String peer) {
        return instance.replace("    advert_int 1", "    advert_int 1\n    unicast_src_ip " + source
                + "\n    unicast_peer {\n        " + peer + "\n    }");
    }

    private Background keepalived(int version, String state, int priority) throws IOException {
        return keepalived(instance(version, state, priority));
    }

    /** Debian's keepalived, VRRP only, in the foreground with its log on the console, on this configuration. */
    private Background keepalived(String configuration) throws IOException {
        Path conf = lab.workDir().resolve("keepalived.conf");
        Files.writeString(conf, configuration);
        return lab.spawn(keepalivedNs, "keepalived", KEEPALIVED, "--dont-fork", "--log-console", "--vrrp",
                "--use-file=" + conf, "--pid=" + lab.workDir().resolve("keepalived.pid"),
                "--vrrp_pid=" + lab.workDir().resolve("vrrp.pid"));
    }

    private Background jvs(int version, String state, int priority) throws IOException {
        Background director = jvs(instance(version, state, priority));
        awaitLog(director, "control socket");
        return director;
    }

    /** ./jvs director -f on this configuration. */
    private Background jvs(String configuration) throws IOException {
        return jvs(jvsNs, "jvs", configuration);
    }

    /** ./jvs director -f in {@code ns}, its configuration in {@code name}.conf and its log in {@code name}.log. */
    private Background jvs(String ns, String name, String configuration) throws IOException {
        Path conf = lab.workDir().resolve(name + ".conf");
        Files.writeString(conf, configuration);
        Launchers.ensureBuilt();
        return lab.spawn(ns, name, Launchers.JVS, "director", "-f", conf.toString());
    }

    private static String instance(int version, String state, int priority) {
        return """
                global_defs {
                    vrrp_version %d
                }
                vrrp_instance VI_1 {
                    state %s
                    interface eth0
                    virtual_router_id 51
                    priority %d
                    advert_int 1
                    %s
                    virtual_ipaddress {
                        %s/24
                    }
                }
                """.formatted(version, state, priority,
                version == 2 ? "authentication {\n        auth_type PASS\n        auth_pass jvs-pair\n    }" : "",
                VIP);
    }

    /**
     * Ends the master ({@code end}: a kill or a SIGTERM), then waits (10 s at most) until the survivor holds the VIP;
     * how long that took, no longer than {@code within}.
     */
    private static Duration takeover(Runnable end, java.util.function.BooleanSupplier held, Background survivor,
                                     Duration within) {
        end.run();
        long endedNs = System.nanoTime();
        while (!held.getAsBoolean() && System.nanoTime() - endedNs < Duration.ofSeconds(10).toNanos()) {
            Background.sleep(20);
        }
        Duration takeover = Duration.ofNanos(System.nanoTime() - endedNs);
        assertThat(held.getAsBoolean()).as(survivor.label() + " holds the VIP; its log:\n" + survivor.tail(20))
                .isTrue();
        assertThat(takeover).as("takeover time").isLessThanOrEqualTo(within);
        return takeover;
    }

    /** keepalived stayed BACKUP under a JVS master and said nothing against its adverts. */
    private static void assertKeepalivedQuietBackup(Background keepalived) {
        assertThat(keepalived.output()).as("keepalived under a JVS master").doesNotContain("Entering MASTER STATE");
        assertThat(Pattern.compile("(?i)invalid|mismatch|bad |error|wrong|ttl").matcher(keepalived.output()).find())
                .as("keepalived complains about JVS's adverts:\n" + keepalived.output()).isFalse();
    }

    /** A SIGTERM to a JVS master: keepalived is MASTER within a second (JVS's last advert has priority 0). */
    private Duration handOverToKeepalived(Background jvs, Background keepalived) {
        long stopNs = System.nanoTime();
        lab.stop(jvs);
        while (!keepalived.output().contains("Entering MASTER STATE")
                && System.nanoTime() - stopNs < Duration.ofSeconds(10).toNanos()) {
            Background.sleep(20);
        }
        Duration handover = Duration.ofNanos(System.nanoTime() - stopNs);
        assertThat(keepalived.output()).contains("Entering MASTER STATE");
        assertThat(handover).as("hand-over after SIGTERM; JVS log:\n" + jvs.tail(10))
                .isLessThanOrEqualTo(Duration.ofSeconds(1));
        return handover;
    }

    private void awaitLog(Background process, String line) {
        if (process.awaitLine(Pattern.quote(line), STARTUP).isEmpty()) {
            throw new AssertionError(process.label() + " never logged '" + line + "':\n" + process.tail(30));
        }
    }

    private String status() {
        return status(jvsNs);
    }

    private String status(String ns) {
        CommandResult status = lab.run(ns, Launchers.JVS, "status");
        assertThat(status.ok()).as(status.describe()).isTrue();
        return status.stdout();
    }

    private boolean holdsVip(String ns) {
        return lab.run(ns, "ip", "-4", "addr", "show", "dev", "eth0").stdout().contains("inet " + VIP + "/");
    }

    private boolean ping() {
        return lab.run(clientNs, Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", VIP).ok();
    }
}
