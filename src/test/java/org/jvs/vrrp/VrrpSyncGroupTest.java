package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvs.vrrp.VrrpInstance.Settings;
import org.jvs.vrrp.VrrpInstance.State;

/**
 * When a vrrp_sync_group's own notify scripts run (keepalived's send_group_notifies from vrrp_sync.c): once per change
 * of the group's state, while its members follow each other.
 */
class VrrpSyncGroupTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 42 * SECOND;
    private static final int LOCAL = VrrpAdvertTest.ip(192, 0, 2, 10);
    private static final int HIGHER_PEER = VrrpAdvertTest.ip(192, 0, 2, 11);

    /** What the group announced, in order. */
    private final List<State> announced = new ArrayList<>();
    private final VrrpSyncGroup group = new VrrpSyncGroup("VG_1", (g, state) -> announced.add(state));

    /** A member whose state changes reach the group, as VrrpService wires them. */
    private VrrpInstance member(String name, int priority, boolean wantMaster) {
        VrrpInstance[] self = new VrrpInstance[1];
        self[0] = new VrrpInstance(new Settings(name, 2, name.hashCode() & 0x7F | 1, priority, 100, true, 0,
                wantMaster, LOCAL, new int[0]), new VrrpInstanceTest.Recorder() {
                    @Override
                    public void stateChanged(State previous, State current) {
                        group.memberChanged(self[0], previous, current, T0);
                    }
                });
        group.add(self[0]);
        return self[0];
    }

    private List<State> take() {
        List<State> taken = List.copyOf(announced);
        announced.clear();
        return taken;
    }

    @Test
    void shouldAnnounceBackupAtStartThenMasterOnceWhenTheMembersTakeOverTogether() {
        VrrpInstance a = member("VI_1", 100, false);
        VrrpInstance b = member("VI_2", 100, false);
        group.start(false);
        a.start(T0);
        b.start(T0);
        assertEquals(List.of(State.BACKUP), take());

        a.tick(a.nextDeadlineNs());

        assertEquals(State.MASTER, b.state());
        assertEquals(List.of(State.MASTER), take());
        b.tick(b.nextDeadlineNs());
        assertEquals(List.of(), take());
    }

    @Test
    void shouldAnnounceBackupOnceWhenAMasterYieldsAndTakesTheOthersAlong() {
        VrrpInstance a = member("VI_1", 100, false);
        VrrpInstance b = member("VI_2", 100, false);
        group.start(false);
        a.start(T0);
        b.start(T0);
        a.tick(a.nextDeadlineNs());
        take();

        a.onAdvert(T0 + 10 * SECOND, HIGHER_PEER, 200, 100);

        assertEquals(State.BACKUP, b.state());
        assertEquals(List.of(State.BACKUP), take());
        assertEquals(State.BACKUP, group.state());
    }

    @Test
    void shouldAnnounceFaultWhenTheFirstMemberFailsAndBackupWhenTheyRecover() {
        VrrpInstance a = member("VI_1", 100, false);
        VrrpInstance b = member("VI_2", 100, false);
        group.start(false);
        a.start(T0);
        b.start(T0);
        a.tick(a.nextDeadlineNs());
        take();

        // VrrpService faults every member of the group when one has a reason to be (vrrp_sync_fault)
        a.fault(T0 + 5 * SECOND, true);
        b.fault(T0 + 5 * SECOND, true);
        assertEquals(List.of(State.FAULT), take());

        a.fault(T0 + 6 * SECOND, false);
        b.fault(T0 + 6 * SECOND, false);
        assertEquals(List.of(State.BACKUP), take());
    }

    @Test
    void shouldStartInFaultWhenAMemberIsDown() {
        VrrpInstance a = member("VI_1", 100, false);
        member("VI_2", 100, false);
        a.fault(T0, true);

        group.start(true);
        a.start(T0);

        assertEquals(List.of(State.FAULT), take());
    }

    @Test
    void shouldNeverAnnounceMasterForAGroupOfAddressOwnersAsKeepalivedDoesNot() {
        VrrpInstance a = member("VI_1", 255, true);
        VrrpInstance b = member("VI_2", 255, true);
        group.start(false);
        a.start(T0);
        b.start(T0);
        a.tick(a.nextDeadlineNs());
        b.tick(b.nextDeadlineNs());

        assertEquals(State.MASTER, group.state());
        assertEquals(List.of(), take());
    }

    @Test
    void shouldAnnounceStopOnShutdownWhateverTheState() {
        VrrpInstance a = member("VI_1", 100, false);
        group.start(false);
        a.start(T0);
        take();

        a.shutdown(T0 + SECOND);
        group.stop();

        assertEquals(List.of(State.STOP), take());
    }

    @Test
    void shouldAnnounceAfterAReloadOnlyAStateThatDiffersFromTheGroupsStateBefore() {
        VrrpInstance a = member("VI_1", 100, false);
        a.start(T0);

        group.reloaded(State.BACKUP);
        assertEquals(List.of(), take());
        group.reloaded(State.MASTER);
        assertEquals(List.of(State.BACKUP), take());
        group.reloaded(null);
        assertEquals(List.of(State.BACKUP), take());
    }
}
