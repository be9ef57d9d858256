package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.jvs.api.IpAddress;
import org.jvs.vrrp.VrrpInstance.Reception;
import org.jvs.vrrp.VrrpInstance.Settings;
import org.jvs.vrrp.VrrpInstance.State;

/**
 * The failover story of one vrrp_instance, timed to the nanosecond against keepalived's arithmetic: skew time
 * (256 - priority) / 256 s for v2 (truncated to whole microseconds), ((256 - priority) × the master's interval) / 256
 * for v3, master down interval 3 × interval + skew.
 */
class VrrpInstanceTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 42 * SECOND;
    private static final int LOCAL = VrrpAdvertTest.ip(192, 0, 2, 10);
    private static final int LOWER_PEER = VrrpAdvertTest.ip(192, 0, 2, 9);
    private static final int HIGHER_PEER = VrrpAdvertTest.ip(192, 0, 2, 11);
    private static final int[] VIPS = {VrrpAdvertTest.ip(192, 0, 2, 1)};

    /** v2, priority 100: skew 156 / 256 s = 609 375 µs. */
    private static final long SKEW_100 = 609_375_000L;
    private static final long DOWN_100 = 3 * SECOND + SKEW_100;
    /** v2, priority 150: skew 106 / 256 s = 414 062.5 µs, truncated. */
    private static final long SKEW_150 = 414_062_000L;
    private static final long DOWN_150 = 3 * SECOND + SKEW_150;

    /** Records what the instance asked for, in order. */
    static class Recorder implements VrrpInstance.Actions {
        private final List<String> events = new ArrayList<>();

        @Override
        public void sendAdvert(int priority) {
            events.add("send " + priority);
        }

        @Override
        public void becomeMaster() {
            events.add("master");
        }

        @Override
        public void becomeBackup() {
            events.add("backup");
        }

        @Override
        public void anotherMaster(IpAddress address, int priority) {
            events.add("another " + (address.isIpv4() ? String.valueOf(address.ipv4() & 0xFF) : address) + " "
                    + priority);
        }

        @Override
        public void stateChanged(State previous, State current) {
            events.add(previous + "->" + current);
        }

        List<String> take() {
            List<String> taken = List.copyOf(events);
            events.clear();
            return taken;
        }
    }

    private final Recorder actions = new Recorder();

    private static Settings v2(int priority) {
        return new Settings("VI_1", 2, 51, priority, 100, true, 0, false, LOCAL, VIPS);
    }

    private static Settings v3(int priority, int intervalCentis) {
        return new Settings("VI_1", 3, 51, priority, intervalCentis, true, 0, false, LOCAL, VIPS);
    }

    private static Settings with(Settings s, boolean preempt, long preemptDelayNs, boolean wantMaster) {
        return new Settings(s.name(), s.version(), s.virtualRouterId(), s.priority(), s.advertIntervalCentis(),
                preempt, preemptDelayNs, wantMaster, s.localAddress(), s.addresses());
    }

    private VrrpInstance started(Settings settings) {
        VrrpInstance instance = new VrrpInstance(settings, actions);
        instance.start(T0);
        actions.take();
        return instance;
    }

    /** An instance that became MASTER by timing out at T0 + its master down interval. */
    private VrrpInstance master(Settings settings) {
        VrrpInstance instance = started(settings);
        instance.tick(instance.nextDeadlineNs());
        assertEquals(State.MASTER, instance.state());
        actions.take();
        return instance;
    }

    @Nested
    class Timers {
        @Test
        void shouldComputeKeepalivedsVrrpV2SkewAndMasterDownInterval() {
            assertEquals(SKEW_100, VrrpInstance.skewTimeNs(2, 100, 100));
            assertEquals(DOWN_100, VrrpInstance.masterDownIntervalNs(2, 100, 100));
            assertEquals(SKEW_150, VrrpInstance.skewTimeNs(2, 150, 100));
            assertEquals(DOWN_150, VrrpInstance.masterDownIntervalNs(2, 150, 100));
            assertEquals(3_906_000L, VrrpInstance.skewTimeNs(2, 255, 100));
            assertEquals(996_093_000L, VrrpInstance.skewTimeNs(2, 1, 100));
            // v2's skew does not scale with the interval.
            assertEquals(9 * SECOND + SKEW_100, VrrpInstance.masterDownIntervalNs(2, 100, 300));
        }

        @Test
        void shouldComputeKeepalivedsVrrpV3SkewFromTheMastersInterval() {
            assertEquals(SKEW_100, VrrpInstance.skewTimeNs(3, 100, 100));
            assertEquals(SKEW_150, VrrpInstance.skewTimeNs(3, 150, 100));
            // 56 × 50 × 625 / 16 = 109 375 µs.
            assertEquals(109_375_000L, VrrpInstance.skewTimeNs(3, 200, 50));
            assertEquals(1_609_375_000L, VrrpInstance.masterDownIntervalNs(3, 200, 50));
            // 2 × 1 × 625 / 16 = 78.125 µs, truncated.
            assertEquals(78_000L, VrrpInstance.skewTimeNs(3, 254, 1));
            assertEquals(30_078_000L, VrrpInstance.masterDownIntervalNs(3, 254, 1));
            // 255 × 4095 × 625 / 16 = 40 790 039.06 µs.
            assertEquals(3 * 40_950_000_000L + 40_790_039_000L, VrrpInstance.masterDownIntervalNs(3, 1, 4095));
        }
    }

    @Nested
    class Startup {
        @Test
        void shouldTakeOverExactlyOneMasterDownIntervalAfterStartWithoutAdverts() {
            VrrpInstance instance = new VrrpInstance(v2(100), actions);
            assertEquals(State.INIT, instance.state());

            instance.start(T0);

            assertEquals(List.of("backup", "INIT->BACKUP"), actions.take());
            assertEquals(State.BACKUP, instance.state());
            assertEquals(T0, instance.stateSinceNs());
            assertEquals(T0 + DOWN_100, instance.nextDeadlineNs());
            instance.tick(T0 + DOWN_100 - 1);
            assertEquals(State.BACKUP, instance.state());
            assertEquals(List.of(), actions.take());

            instance.tick(T0 + DOWN_100);

            assertEquals(State.MASTER, instance.state());
            assertEquals(T0 + DOWN_100, instance.stateSinceNs());
            assertEquals(List.of("send 100", "master", "BACKUP->MASTER"), actions.take());
            assertEquals(LOCAL, instance.masterAddress());
            assertEquals(T0 + DOWN_100 + SECOND, instance.nextDeadlineNs());
        }

        @Test
        void shouldAdvertiseEveryIntervalAsMasterFromWhenItTicked() {
            VrrpInstance instance = master(v2(100));
            long late = instance.nextDeadlineNs() + 3_000_000;

            instance.tick(late);

            assertEquals(List.of("send 100"), actions.take());
            assertEquals(late + SECOND, instance.nextDeadlineNs());
        }

        @Test
        void shouldKeepTimeAcrossTheWrapOfNanoTime() {
            long nearTheEnd = Long.MAX_VALUE - SECOND;
            VrrpInstance instance = new VrrpInstance(v2(100), actions);
            instance.start(nearTheEnd);
            long deadline = nearTheEnd + DOWN_100;

            instance.tick(deadline - 1);
            assertEquals(State.BACKUP, instance.state());
            instance.tick(deadline);
            assertEquals(State.MASTER, instance.state());
        }

        @Test
        void shouldMakeTheAddressOwnerWithStateMasterMasterOneMicrosecondAfterStart() {
            VrrpInstance instance = new VrrpInstance(with(v2(255), true, 0, true), actions);

            instance.start(T0);

            // keepalived's vrrp_init_state: BACKUP with ms_down_timer = 1 µs, no restore or notify on the way.
            assertEquals(List.of("INIT->BACKUP"), actions.take());
            assertEquals(T0 + 1_000, instance.nextDeadlineNs());
            instance.tick(T0 + 1_000);
            assertEquals(List.of("send 255", "master", "BACKUP->MASTER"), actions.take());
        }

        @Test
        void shouldMakeStateMasterBelowPriority255WaitAMasterDownIntervalLikeABackup() {
            VrrpInstance instance = new VrrpInstance(with(v2(100), true, 0, true), actions);

            instance.start(T0);

            assertEquals(State.BACKUP, instance.state());
            assertEquals(T0 + DOWN_100, instance.nextDeadlineNs());
        }

        @Test
        void shouldMakeTheAddressOwnerWithStateBackupWaitAMasterDownInterval() {
            VrrpInstance instance = new VrrpInstance(v2(255), actions);

            instance.start(T0);

            assertEquals(List.of("backup", "INIT->BACKUP"), actions.take());
            assertEquals(T0 + 3 * SECOND + 3_906_000L, instance.nextDeadlineNs());
        }

        @Test
        void shouldStartInFaultWhenATrackedInterfaceIsAlreadyDown() {
            VrrpInstance instance = new VrrpInstance(v2(100), actions);
            instance.fault(T0 - 1, true);

            instance.start(T0);

            assertEquals(State.FAULT, instance.state());
            assertEquals(List.of("INIT->FAULT"), actions.take());
            assertEquals(Long.MAX_VALUE, instance.nextDeadlineNs());
        }

        @Test
        void shouldRefuseToStartTwice() {
            VrrpInstance instance = started(v2(100));
            assertThrows(IllegalStateException.class, () -> instance.start(T0));
        }
    }

    @Nested
    class Backup {
        @Test
        void shouldStayBackupWhileTheMasterAdvertises() {
            VrrpInstance instance = started(v2(100));
            long now = T0;
            for (int i = 0; i < 20; i++) {
                now += SECOND;
                instance.tick(now);
                assertEquals(Reception.MASTER_ALIVE, instance.onAdvert(now, HIGHER_PEER, 150, 100));
            }

            assertEquals(State.BACKUP, instance.state());
            assertEquals(List.of(), actions.take());
            assertEquals(now + DOWN_100, instance.nextDeadlineNs());
            assertEquals(HIGHER_PEER, instance.masterAddress());
            assertEquals(150, instance.masterPriority());

            instance.tick(now + DOWN_100);
            assertEquals(State.MASTER, instance.state());
        }

        @Test
        void shouldTakeOverOneSkewTimeAfterThePriorityZeroAdvertOfAMasterLeaving() {
            VrrpInstance instance = started(v2(100));
            instance.onAdvert(T0 + SECOND, HIGHER_PEER, 150, 100);

            assertEquals(Reception.PRIORITY_ZERO, instance.onAdvert(T0 + 2 * SECOND, HIGHER_PEER, 0, 100));

            assertEquals(T0 + 2 * SECOND + SKEW_100, instance.nextDeadlineNs());
            instance.tick(T0 + 2 * SECOND + SKEW_100);
            assertEquals(List.of("send 100", "master", "BACKUP->MASTER"), actions.take());
        }

        @Test
        void shouldDiscardALowerPriorityMasterAndTakeOverWhenPreempting() {
            VrrpInstance instance = started(v2(150));
            long now = T0;
            for (int i = 0; i < 3; i++) {
                now += SECOND;
                assertEquals(Reception.LOWER_PRIORITY_DISCARDED, instance.onAdvert(now, LOWER_PEER, 100, 100));
            }
            // The discarded adverts did not restart the master down timer armed at start.
            assertEquals(T0 + DOWN_150, instance.nextDeadlineNs());
            assertEquals(LOWER_PEER, instance.masterAddress());

            instance.tick(T0 + DOWN_150);

            assertEquals(List.of("send 150", "master", "BACKUP->MASTER"), actions.take());
        }

        @Test
        void shouldNeverTakeOverFromALiveLowerPriorityMasterWithNopreempt() {
            VrrpInstance instance = started(with(v2(150), false, 0, false));
            long now = T0;
            for (int i = 0; i < 60; i++) {
                now += SECOND;
                instance.tick(now);
                assertEquals(Reception.MASTER_ALIVE, instance.onAdvert(now, LOWER_PEER, 100, 100));
            }

            assertEquals(State.BACKUP, instance.state());
            assertEquals(now + DOWN_150, instance.nextDeadlineNs());
            instance.tick(now + DOWN_150);
            assertEquals(State.MASTER, instance.state());
        }

        @Test
        void shouldDeferToALowerPriorityMasterForThePreemptDelayOnly() {
            VrrpInstance instance = started(with(v2(150), true, 5 * SECOND, false));
            // The first lower priority advert starts the 5 s delay: adverts until it ends still count.
            for (int second = 1; second <= 5; second++) {
                assertEquals(Reception.MASTER_ALIVE, instance.onAdvert(T0 + second * SECOND, LOWER_PEER, 100, 100));
            }
            // From T0 + 6 s (the delay's end) on they are discarded; the timer armed at T0 + 5 s runs out.
            for (int second = 6; second <= 8; second++) {
                assertEquals(Reception.LOWER_PRIORITY_DISCARDED,
                        instance.onAdvert(T0 + second * SECOND, LOWER_PEER, 100, 100));
            }
            long takeOver = T0 + 5 * SECOND + DOWN_150;
            assertEquals(takeOver, instance.nextDeadlineNs());
            instance.tick(takeOver - 1);
            assertEquals(State.BACKUP, instance.state());
            instance.tick(takeOver);
            assertEquals(State.MASTER, instance.state());
        }

        @Test
        void shouldRestartThePreemptDelayAfterAHigherPriorityMaster() {
            VrrpInstance instance = started(with(v2(150), true, 5 * SECOND, false));
            instance.onAdvert(T0 + SECOND, LOWER_PEER, 100, 100);
            instance.onAdvert(T0 + 2 * SECOND, HIGHER_PEER, 200, 100);
            instance.onAdvert(T0 + 4 * SECOND, LOWER_PEER, 100, 100);

            assertEquals(Reception.MASTER_ALIVE, instance.onAdvert(T0 + 8 * SECOND, LOWER_PEER, 100, 100));
            assertEquals(Reception.LOWER_PRIORITY_DISCARDED, instance.onAdvert(T0 + 9 * SECOND, LOWER_PEER, 100, 100));
        }

        @Test
        void shouldPreemptWithStateMasterEvenWhenConfiguredNopreempt() {
            // keepalived: "nopreempt will not work with initial state MASTER - clearing".
            VrrpInstance instance = started(with(v2(150), false, 5 * SECOND, true));

            assertEquals(Reception.LOWER_PRIORITY_DISCARDED, instance.onAdvert(T0 + SECOND, LOWER_PEER, 100, 100));
        }

        @Test
        void shouldPreemptAsAddressOwnerEvenWhenConfiguredNopreempt() {
            VrrpInstance instance = started(with(v2(255), false, 0, false));

            assertEquals(Reception.LOWER_PRIORITY_DISCARDED, instance.onAdvert(T0 + SECOND, LOWER_PEER, 254, 100));
        }

        @Test
        void shouldDropAVrrpV2AdvertWithAnotherIntervalWithoutTouchingTheTimer() {
            VrrpInstance instance = started(v2(100));

            assertEquals(Reception.INTERVAL_MISMATCH, instance.onAdvert(T0 + SECOND, HIGHER_PEER, 150, 200));

            assertEquals(T0 + DOWN_100, instance.nextDeadlineNs());
            assertEquals(0, instance.masterAddress());
        }

        @Test
        void shouldLearnTheMastersVrrpV3IntervalAndForgetItOnTakingOver() {
            VrrpInstance instance = started(v3(100, 100));

            assertEquals(Reception.MASTER_ALIVE, instance.onAdvert(T0 + SECOND, HIGHER_PEER, 150, 50));

            // 3 × 0.5 s + 156 × 50 × 625 / 16 µs (304 687.5, truncated).
            long takeOver = T0 + SECOND + 1_500_000_000L + 304_687_000L;
            assertEquals(50, instance.masterAdvertIntervalCentis());
            assertEquals(takeOver, instance.nextDeadlineNs());
            instance.tick(takeOver);
            assertEquals(State.MASTER, instance.state());
            assertEquals(100, instance.masterAdvertIntervalCentis());
            assertEquals(takeOver + SECOND, instance.nextDeadlineNs());
        }

        @Test
        void shouldUseTheLearnedVrrpV3IntervalForTheSkewOfAPriorityZeroAdvert() {
            VrrpInstance instance = started(v3(100, 100));
            instance.onAdvert(T0 + SECOND, HIGHER_PEER, 150, 200);

            assertEquals(Reception.PRIORITY_ZERO, instance.onAdvert(T0 + 2 * SECOND, HIGHER_PEER, 0, 200));

            // 156 × 200 × 625 / 16 µs.
            assertEquals(T0 + 2 * SECOND + 1_218_750_000L, instance.nextDeadlineNs());
        }

        @Test
        void shouldAcceptAnyVrrpV3Interval() {
            VrrpInstance instance = started(v3(100, 100));

            assertEquals(Reception.MASTER_ALIVE, instance.onAdvert(T0 + SECOND, HIGHER_PEER, 150, 4095));
        }
    }

    @Nested
    class Master {
        @Test
        void shouldYieldToAHigherPriorityMaster() {
            VrrpInstance instance = master(v2(100));
            long now = instance.stateSinceNs() + SECOND / 2;

            assertEquals(Reception.YIELDED, instance.onAdvert(now, HIGHER_PEER, 150, 100));

            assertEquals(State.BACKUP, instance.state());
            assertEquals(List.of("backup", "MASTER->BACKUP"), actions.take());
            assertEquals(now + DOWN_100, instance.nextDeadlineNs());
            assertEquals(HIGHER_PEER, instance.masterAddress());
        }

        @Test
        void shouldYieldToAnEqualPriorityMasterWithAHigherAddress() {
            VrrpInstance instance = master(v2(100));

            assertEquals(Reception.YIELDED, instance.onAdvert(T0 + 10 * SECOND, HIGHER_PEER, 100, 100));

            assertEquals(State.BACKUP, instance.state());
        }

        @Test
        void shouldCompareAddressesAsUnsignedNumbers() {
            VrrpInstance instance = master(v2(100));
            // 10.0.0.1 is a positive int, 192.0.2.10 a negative one: still the lower address.
            int tenNet = VrrpAdvertTest.ip(10, 0, 0, 1);

            assertEquals(Reception.LOWER_PRIORITY_MASTER, instance.onAdvert(T0 + 10 * SECOND, tenNet, 100, 100));
        }

        @Test
        void shouldStayMasterAndAnswerAtOnceALowerPriorityMaster() {
            VrrpInstance instance = master(v2(100));
            long now = instance.stateSinceNs() + SECOND / 2;

            assertEquals(Reception.LOWER_PRIORITY_MASTER, instance.onAdvert(now, LOWER_PEER, 50, 100));

            assertEquals(State.MASTER, instance.state());
            assertEquals(List.of("send 100", "another 9 50"), actions.take());
            // The advert just sent restarts the interval.
            assertEquals(now + SECOND, instance.nextDeadlineNs());
        }

        @Test
        void shouldStayMasterBeforeAnEqualPriorityMasterWithALowerAddress() {
            VrrpInstance instance = master(v2(100));

            assertEquals(Reception.LOWER_PRIORITY_MASTER, instance.onAdvert(T0 + 10 * SECOND, LOWER_PEER, 100, 100));

            assertEquals(List.of("send 100", "another 9 100"), actions.take());
        }

        @Test
        void shouldReportAnAdvertFromItsOwnAddressWithoutAnswering() {
            VrrpInstance instance = master(v2(100));

            assertEquals(Reception.OWN_ADDRESS, instance.onAdvert(T0 + 10 * SECOND, LOCAL, 100, 100));

            assertEquals(State.MASTER, instance.state());
            assertEquals(List.of("another 10 100"), actions.take());
        }

        @Test
        void shouldAnswerAnotherMasterLeavingAtOnce() {
            VrrpInstance instance = master(v2(100));
            long now = T0 + 10 * SECOND;

            assertEquals(Reception.PRIORITY_ZERO, instance.onAdvert(now, LOWER_PEER, 0, 100));

            assertEquals(List.of("send 100"), actions.take());
            assertEquals(now + SECOND, instance.nextDeadlineNs());
        }

        @Test
        void shouldStepDownTo254WhenAnotherAddressOwnerAdvertises() {
            VrrpInstance instance = master(with(v2(255), true, 0, true));

            assertEquals(Reception.YIELDED, instance.onAdvert(T0 + SECOND, LOWER_PEER, 255, 100));

            assertEquals(254, instance.effectivePriority());
            assertEquals(State.BACKUP, instance.state());
        }

        @Test
        void shouldResolveTwoMastersByPriorityThenAddress() {
            Recorder lowerActions = new Recorder();
            VrrpInstance lower = new VrrpInstance(new Settings("VI_1", 2, 51, 100, 100, true, 0, false, LOWER_PEER, VIPS),
                    lowerActions);
            VrrpInstance higher = master(v2(100));
            lower.start(T0);
            lower.tick(lower.nextDeadlineNs());
            assertEquals(State.MASTER, lower.state());
            long now = T0 + 10 * SECOND;

            // Each hears the other's advert: the lower address answers nothing and yields, the higher stays.
            assertEquals(Reception.YIELDED, lower.onAdvert(now, LOCAL, higher.effectivePriority(), 100));
            assertEquals(Reception.LOWER_PRIORITY_MASTER, higher.onAdvert(now, LOWER_PEER, 100, 100));

            assertEquals(State.BACKUP, lower.state());
            assertEquals(State.MASTER, higher.state());
        }

        @Test
        void shouldReportAVrrpV2IntervalMismatchAsAnotherMaster() {
            VrrpInstance instance = master(v2(100));
            long deadline = instance.nextDeadlineNs();

            assertEquals(Reception.INTERVAL_MISMATCH, instance.onAdvert(T0 + 10 * SECOND, HIGHER_PEER, 150, 300));

            assertEquals(State.MASTER, instance.state());
            assertEquals(List.of("another 11 150"), actions.take());
            assertEquals(deadline, instance.nextDeadlineNs());
        }
    }

    @Nested
    class ShutdownAndFault {
        @Test
        void shouldSendPriorityZeroAndReleaseTheVipsWhenAMasterShutsDown() {
            VrrpInstance instance = master(v2(100));

            instance.shutdown(T0 + 10 * SECOND);

            assertEquals(State.STOP, instance.state());
            assertEquals(List.of("send 0", "backup", "MASTER->STOP"), actions.take());
            assertEquals(Long.MAX_VALUE, instance.nextDeadlineNs());
            instance.tick(T0 + 100 * SECOND);
            assertEquals(Reception.NOT_LISTENING, instance.onAdvert(T0 + 11 * SECOND, HIGHER_PEER, 150, 100));
            instance.shutdown(T0 + 12 * SECOND);
            assertEquals(List.of(), actions.take());
        }

        @Test
        void shouldSendNothingWhenABackupShutsDown() {
            VrrpInstance instance = started(v2(100));

            instance.shutdown(T0 + SECOND);

            assertEquals(List.of("BACKUP->STOP"), actions.take());
        }

        @Test
        void shouldLeaveMasterForFaultAndComeBackAsBackup() {
            VrrpInstance instance = master(v2(100));
            long down = T0 + 10 * SECOND;

            instance.fault(down, true);

            // keepalived's down_instance -> vrrp_state_leave_master: a priority 0 advert, the VIPs removed.
            assertEquals(State.FAULT, instance.state());
            assertEquals(List.of("send 0", "backup", "MASTER->FAULT"), actions.take());
            assertEquals(Long.MAX_VALUE, instance.nextDeadlineNs());
            assertEquals(Reception.NOT_LISTENING, instance.onAdvert(down + SECOND, HIGHER_PEER, 150, 100));
            instance.tick(down + 100 * SECOND);
            instance.fault(down + 2 * SECOND, true);
            assertEquals(List.of(), actions.take());

            long up = down + 200 * SECOND;
            instance.fault(up, false);

            assertEquals(State.BACKUP, instance.state());
            assertEquals(up, instance.stateSinceNs());
            assertEquals(List.of("backup", "FAULT->BACKUP"), actions.take());
            assertEquals(up + DOWN_100, instance.nextDeadlineNs());
        }

        @Test
        void shouldGoFromBackupToFaultSilently() {
            VrrpInstance instance = started(v2(100));

            instance.fault(T0 + SECOND, true);

            assertEquals(List.of("BACKUP->FAULT"), actions.take());
        }

        @Test
        void shouldForgetTheLearnedVrrpV3IntervalInFault() {
            VrrpInstance instance = started(v3(100, 100));
            instance.onAdvert(T0 + SECOND, HIGHER_PEER, 150, 50);
            instance.fault(T0 + 2 * SECOND, true);

            instance.fault(T0 + 3 * SECOND, false);

            assertEquals(100, instance.masterAdvertIntervalCentis());
            assertEquals(T0 + 3 * SECOND + DOWN_100, instance.nextDeadlineNs());
        }
    }

    @Nested
    class Configuration {
        @Test
        void shouldRejectSettingsKeepalivedWouldNotRun() {
            assertThrows(IllegalArgumentException.class, () -> new Settings("x", 4, 51, 100, 100, true, 0, false, LOCAL, VIPS));
            assertThrows(IllegalArgumentException.class, () -> new Settings("x", 2, 0, 100, 100, true, 0, false, LOCAL, VIPS));
            assertThrows(IllegalArgumentException.class, () -> new Settings("x", 2, 51, 0, 100, true, 0, false, LOCAL, VIPS));
            assertThrows(IllegalArgumentException.class, () -> new Settings("x", 2, 51, 256, 100, true, 0, false, LOCAL, VIPS));
            assertThrows(IllegalArgumentException.class, () -> new Settings("x", 2, 51, 100, 150, true, 0, false, LOCAL, VIPS));
            assertThrows(IllegalArgumentException.class, () -> new Settings("x", 3, 51, 100, 4096, true, 0, false, LOCAL, VIPS));
            assertThrows(IllegalArgumentException.class, () -> new Settings("x", 3, 51, 100, 100, true, -1, false, LOCAL, VIPS));
        }

        @Test
        void shouldKeepItsOwnCopyOfTheVips() {
            int[] vips = {1, 2};
            Settings settings = new Settings("x", 3, 51, 100, 100, true, 0, false, LOCAL, vips);
            vips[0] = 9;
            settings.addresses()[1] = 9;

            assertEquals(1, settings.addresses()[0]);
            assertEquals(2, settings.addresses()[1]);
        }
    }

    /** A tracked script's weight moves the effective priority: what the adverts carry and what elections compare. */
    @Nested
    class EffectivePriority {
        @Test
        void shouldAdvertiseTheLoweredPriorityAndYieldToTheBackupThatThenTakesOver() {
            VrrpInstance instance = master(v2(150));
            instance.priority(90);
            instance.tick(instance.nextDeadlineNs());
            assertEquals(List.of("send 90"), actions.take());
            // the backup (priority 100) discards our lower adverts, times out and advertises 100: we yield
            assertEquals(VrrpInstance.Reception.YIELDED, instance.onAdvert(T0 + 10 * SECOND, LOWER_PEER, 100, 100));
            assertEquals(State.BACKUP, instance.state());
        }

        @Test
        void shouldPreemptALowerMasterOnceRaisedAboveIt() {
            VrrpInstance instance = started(v2(100));
            assertEquals(VrrpInstance.Reception.MASTER_ALIVE, instance.onAdvert(T0 + SECOND, LOWER_PEER, 120, 100));
            instance.priority(130);
            assertEquals(VrrpInstance.Reception.LOWER_PRIORITY_DISCARDED,
                    instance.onAdvert(T0 + 2 * SECOND, LOWER_PEER, 120, 100));
            instance.tick(instance.nextDeadlineNs());
            assertEquals(State.MASTER, instance.state());
            assertEquals(130, instance.effectivePriority());
        }

        @Test
        void shouldKeepPrioritiesBetweenOneAndTheOwnersAndLeaveTheOwnerAlone() {
            VrrpInstance instance = started(v2(100));
            instance.priority(-20);
            assertEquals(1, instance.effectivePriority());
            instance.priority(400);
            assertEquals(254, instance.effectivePriority());
            VrrpInstance owner = new VrrpInstance(v2(255), new Recorder());
            owner.priority(100);
            assertEquals(255, owner.effectivePriority());
        }
    }

    /** vrrp_sync_group: a member follows another member's move to MASTER, or out of it. */
    @Nested
    class SyncGroup {
        @Test
        void shouldFollowAnotherMemberToMasterAtOnceAdvertFirst() {
            VrrpInstance instance = started(v2(100));
            instance.syncMaster(T0 + SECOND);
            assertEquals(State.MASTER, instance.state());
            assertEquals(List.of("send 100", "master", "BACKUP->MASTER"), actions.take());
            assertEquals(T0 + 2 * SECOND, instance.nextDeadlineNs());
        }

        @Test
        void shouldFollowAnotherMemberOutOfMasterSendingPriorityZero() {
            VrrpInstance instance = master(v2(150));
            instance.syncBackup(T0 + 10 * SECOND);
            assertEquals(State.BACKUP, instance.state());
            assertEquals(List.of("send 0", "backup", "MASTER->BACKUP"), actions.take());
            assertEquals(T0 + 10 * SECOND + DOWN_150, instance.nextDeadlineNs());
        }

        @Test
        void shouldIgnoreSyncThatDoesNotApply() {
            VrrpInstance backup = started(v2(100));
            backup.syncBackup(T0 + SECOND);
            VrrpInstance master = master(v2(150));
            master.syncMaster(T0 + SECOND);
            assertEquals(State.BACKUP, backup.state());
            assertEquals(State.MASTER, master.state());
            assertEquals(List.of(), actions.take());
        }
    }
}
