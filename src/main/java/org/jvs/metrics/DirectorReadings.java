package org.jvs.metrics;

import java.util.List;
import java.util.Map;

import org.jvs.api.ServiceSnapshot;
import org.jvs.vrrp.VrrpInstance;

/**
 * Everything one scrape of {@code /metrics} shows, read once through the director's control path when the scrape
 * comes (nothing is kept or mirrored between scrapes).
 *
 * @param services   {@code -L --stats}: the virtual services and their real servers, summed over the workers
 * @param dataPlane  the data plane's counters by name ({@code ./jvs counters}' names), summed over the workers
 * @param workers    each data-plane worker's own share, worker 0 first
 * @param ports      each attached interface's driver counters by name ({@code rx_ring_drops} ...)
 * @param guardDrops frames the kernel guard kept from the host's stack
 * @param vrrp       each vrrp_instance's state by name, in file order (empty without VRRP)
 * @param sync       the connection sync daemons' counters by name ({@code sync_master_messages_sent} ...), empty
 *                   when none runs
 * @param syncGauges the sync daemons' gauges by name ({@code sync_master_pending_seconds} ...), empty when none runs
 */
public record DirectorReadings(List<ServiceSnapshot> services, Map<String, Long> dataPlane, List<Worker> workers,
                               Map<String, Map<String, Long>> ports, long guardDrops,
                               Map<String, VrrpInstance.State> vrrp, Map<String, Long> sync,
                               Map<String, Double> syncGauges) {

    /**
     * One data-plane worker: the frames it received, and the fill and size of its connection table (templates
     * included).
     */
    public record Worker(long framesIn, long connections, long connectionCapacity) {
    }

    /** A director of services alone (tests, and the node_ipvs_* metrics' view). */
    public static DirectorReadings ofServices(List<ServiceSnapshot> services) {
        return new DirectorReadings(services, Map.of(), List.of(), Map.of(), 0, Map.of(), Map.of(), Map.of());
    }
}
