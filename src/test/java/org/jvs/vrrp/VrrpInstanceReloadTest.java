package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvs.vrrp.VrrpInstance.Reception;
import org.jvs.vrrp.VrrpInstance.Settings;
import org.jvs.vrrp.VrrpInstance.State;

/**
 * A reload that changes a running instance's settings (keepalived's restore_vrrp_state): the state stays, a MASTER
 * advertises its new priority at once, a BACKUP restarts its master down timer, and nothing else happens.
 */
class VrrpInstanceReloadTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 42 * SECOND;
    private static final int LOCAL = VrrpAdvertTest.ip(192, 0, 2, 10);
    private static final int PEER = VrrpAdvertTest.ip(192, 0, 2, 9);
    private static final int[] VIPS = {VrrpAdvertTest.ip(192, 0, 2, 1)};
    /** v2, priority 150: skew 106 / 256 s = 414 062.5 µs, truncated. */
    private static final long DOWN_150 = 3 * SECOND + 414_062_000L;

    private final VrrpInstanceTest.Recorder actions = new VrrpInstanceTest.Recorder();

    private static Settings v2(int priority, int intervalCentis) {
        return new Settings("VI_1", 2, 51, priority, intervalCentis, true, 0, false, LOCAL, VIPS);
    }

    private VrrpInstance master(Settings settings) {
        VrrpInstance instance = new VrrpInstance(settings, actions);
        instance.start(T0);
        instance.tick(instance.nextDeadlineNs());
        assertEquals(State.MASTER, instance.state());
        actions.take();
        return instance;
    }

    @Test
    void shouldKeepMastershipAndAdvertiseTheNewPriorityAtOnce() {
        VrrpInstance instance = master(v2(150, 100));
        long reload = T0 + 10 * SECOND + 300_000_000L;

        instance.reconfigure(reload, v2(50, 100), 50);

        assertEquals(State.MASTER, instance.state());
        assertEquals(List.of(), actions.take());
        assertEquals(reload, instance.nextDeadlineNs());
        instance.tick(reload);
        assertEquals(List.of("send 50"), actions.take());
        assertEquals(reload + SECOND, instance.nextDeadlineNs());
        // the peer at 100 now preempts: its advert makes us yield, as it would have without a reload
        assertEquals(Reception.YIELDED, instance.onAdvert(reload + SECOND, PEER, 100, 100));
        assertEquals(List.of("backup", "MASTER->BACKUP"), actions.take());
    }

    @Test
    void shouldAdvertiseAtTheNewIntervalAfterTheReload() {
        VrrpInstance instance = master(v2(150, 100));
        long reload = T0 + 10 * SECOND;

        instance.reconfigure(reload, v2(150, 300), 150);
        instance.tick(reload);

        assertEquals(List.of("send 150"), actions.take());
        assertEquals(reload + 3 * SECOND, instance.nextDeadlineNs());
        // v2 now drops adverts at the old interval, as keepalived's vrrp_check_packet does
        assertEquals(Reception.INTERVAL_MISMATCH, instance.onAdvert(reload + SECOND, PEER, 100, 100));
    }

    @Test
    void shouldRestartABackupsMasterDownTimerAndPreemptALowerMasterWithItsNewPriority() {
        VrrpInstance instance = new VrrpInstance(v2(50, 100), actions);
        instance.start(T0);
        assertEquals(Reception.MASTER_ALIVE, instance.onAdvert(T0 + SECOND, PEER, 100, 100));
        actions.take();
        long reload = T0 + 2 * SECOND;

        instance.reconfigure(reload, v2(150, 100), 150);

        assertEquals(State.BACKUP, instance.state());
        assertEquals(List.of(), actions.take());
        assertEquals(reload + DOWN_150, instance.nextDeadlineNs());
        assertEquals(Reception.LOWER_PRIORITY_DISCARDED, instance.onAdvert(reload + SECOND, PEER, 100, 100));
        instance.tick(reload + DOWN_150);
        assertEquals(List.of("send 150", "master", "BACKUP->MASTER"), actions.take());
    }

    @Test
    void shouldApplyTrackingWeightsGivenWithTheNewSettings() {
        VrrpInstance instance = master(v2(150, 100));

        instance.reconfigure(T0 + 10 * SECOND, v2(200, 100), 230);

        assertEquals(230, instance.effectivePriority());
        assertEquals(200, instance.settings().priority());
    }

    @Test
    void shouldLeaveAFaultedInstanceInFaultWithoutTimers() {
        VrrpInstance instance = new VrrpInstance(v2(100, 100), actions);
        instance.fault(T0, true);
        instance.start(T0);
        actions.take();

        instance.reconfigure(T0 + SECOND, v2(200, 100), 200);

        assertEquals(State.FAULT, instance.state());
        assertEquals(Long.MAX_VALUE, instance.nextDeadlineNs());
        assertEquals(List.of(), actions.take());
    }

    @Test
    void shouldRefuseAnotherVirtualRouterIdOrSourceAddress() {
        VrrpInstance instance = master(v2(150, 100));
        Settings otherVrid = new Settings("VI_1", 2, 52, 150, 100, true, 0, false, LOCAL, VIPS);
        Settings otherSource = new Settings("VI_1", 2, 51, 150, 100, true, 0, false, PEER, VIPS);

        assertThrows(IllegalArgumentException.class, () -> instance.reconfigure(T0, otherVrid, 150));
        assertThrows(IllegalArgumentException.class, () -> instance.reconfigure(T0, otherSource, 150));
        assertEquals(v2(150, 100).priority(), instance.settings().priority());
    }
}
