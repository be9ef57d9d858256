package org.jvs.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvs.keepalived.config.KeepalivedConfigParser;
import org.jvs.keepalived.config.VrrpInstanceConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which running vrrp_instance a reloaded file's instance continues, as keepalived's vrrp_exist finds it, and whether
 * it changed.
 */
class VrrpReloadPlanTest {
    @TempDir
    Path dir;

    private List<VrrpInstanceConfig> instances(String text) throws Exception {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        return KeepalivedConfigParser.parse(file).vrrpInstances();
    }

    private static String instance(String name, String body) {
        return "vrrp_instance " + name + " {\n interface d0\n" + body.replace(";", "\n") + "\n}\n";
    }

    @Test
    void shouldLeaveAnInstanceUnchangedWhenOnlyItsPlaceInTheFileMoved() throws Exception {
        List<VrrpInstanceConfig> running = instances(instance("VI_1", "virtual_router_id 1")
                + instance("VI_2", "virtual_router_id 2"));
        List<VrrpInstanceConfig> next = instances("# a comment that moves every line\n\n"
                + instance("VI_2", "virtual_router_id 2") + instance("VI_1", "virtual_router_id 1"));

        VrrpReloadPlan plan = VrrpReloadPlan.of(running, next);

        assertEquals(List.of(new VrrpReloadPlan.Step(next.get(0), 1, true),
                new VrrpReloadPlan.Step(next.get(1), 0, true)), plan.steps());
        assertEquals(List.of(), plan.removed());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "priority|priority 150",
        "advert_int|advert_int 2",
        "address|virtual_ipaddress { 192.0.2.99 }",
        "tracking|track_interface { d1 }",
        "preemption|nopreempt",
        "name|",
    })
    void shouldChangeInPlaceTheSameVirtualRouterWithOtherSettings(String what, String setting) throws Exception {
        List<VrrpInstanceConfig> running = instances(instance("VI_1", "virtual_router_id 1"));
        String name = what.equals("name") ? "VI_renamed" : "VI_1";
        List<VrrpInstanceConfig> next = instances(instance(name, "virtual_router_id 1;"
                + (setting == null ? "" : setting)));

        VrrpReloadPlan plan = VrrpReloadPlan.of(running, next);

        assertEquals(List.of(new VrrpReloadPlan.Step(next.getFirst(), 0, false)), plan.steps());
        assertEquals(List.of(), plan.removed());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "another VRID|virtual_router_id 2",
        "unicast|virtual_router_id 1;unicast_peer { 192.0.2.2 }",
        "another source|virtual_router_id 1;unicast_src_ip 192.0.2.7",
    })
    void shouldReplaceAnInstanceThatIsAnotherVirtualRouter(String what, String setting) throws Exception {
        List<VrrpInstanceConfig> running = instances(instance("VI_1", "virtual_router_id 1"));
        List<VrrpInstanceConfig> next = instances(instance("VI_1", setting));

        VrrpReloadPlan plan = VrrpReloadPlan.of(running, next);

        assertEquals(List.of(new VrrpReloadPlan.Step(next.getFirst(), -1, false)), plan.steps());
        assertEquals(List.of(0), plan.removed());
    }

    @Test
    void shouldStartEveryInstanceAtStart() throws Exception {
        List<VrrpInstanceConfig> next = instances(instance("VI_1", "virtual_router_id 1"));

        VrrpReloadPlan plan = VrrpReloadPlan.of(List.of(), next);

        assertEquals(List.of(new VrrpReloadPlan.Step(next.getFirst(), -1, false)), plan.steps());
        assertEquals(List.of(), plan.removed());
    }
}
