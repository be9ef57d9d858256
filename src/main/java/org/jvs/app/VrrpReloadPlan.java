package org.jvs.app;

import java.util.ArrayList;
import java.util.List;

import org.jvs.keepalived.config.VrrpInstanceConfig;

/**
 * What a reload does to the running vrrp_instances, worked out as keepalived's clear_diff_vrrp does: each instance
 * of the new file continues the running one that is the same virtual router ({@link VrrpInstanceConfig#sameRouterAs}:
 * interface, VRID, unicast or not, unicast_src_ip), untouched when its settings are the same and changed in place
 * otherwise; an instance of the new file that continues none is new; a running one that none continues is removed.
 *
 * @param steps   one per instance of the new file, in file order
 * @param removed the indexes of the running instances that the new file no longer has
 */
record VrrpReloadPlan(List<Step> steps, List<Integer> removed) {

    /**
     * @param next      the instance as the new file has it
     * @param running   the index of the running instance it continues, -1 for a new one
     * @param unchanged true when it continues one whose settings are the same
     */
    record Step(VrrpInstanceConfig next, int running, boolean unchanged) {
        boolean isNew() {
            return running < 0;
        }
    }

    static VrrpReloadPlan of(List<VrrpInstanceConfig> running, List<VrrpInstanceConfig> next) {
        boolean[] continued = new boolean[running.size()];
        List<Step> steps = new ArrayList<>();
        for (VrrpInstanceConfig config : next) {
            int match = -1;
            for (int i = 0; i < running.size() && match < 0; i++) {
                if (!continued[i] && running.get(i).sameRouterAs(config)) {
                    match = i;
                }
            }
            if (match >= 0) {
                continued[match] = true;
            }
            steps.add(new Step(config, match, match >= 0 && running.get(match).sameSettingsAs(config)));
        }
        List<Integer> removed = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            if (!continued[i]) {
                removed.add(i);
            }
        }
        return new VrrpReloadPlan(List.copyOf(steps), List.copyOf(removed));
    }
}
