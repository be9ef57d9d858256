package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/** Writing, checking and reading adverts, and the state machine handling them, allocate nothing per advert. */
class VrrpAllocationTest {
    private static final int ROUNDS = 20_000;
    /** Far below one object per advert (16 bytes × ROUNDS): leaves room for a compilation's stray allocation. */
    private static final long SLACK_BYTES = 16 * 1024;
    private static final int SOURCE = VrrpAdvertTest.ip(192, 0, 2, 10);
    private static final int PEER = VrrpAdvertTest.ip(192, 0, 2, 11);
    private static final int GROUP = VrrpAdvertTest.ip(224, 0, 0, 18);

    private final int[] vips = {VrrpAdvertTest.ip(192, 0, 2, 1), VrrpAdvertTest.ip(192, 0, 2, 2)};
    private final byte[] password = {'s', 'e', 'c', 'r', 'e', 't'};
    private final MemorySegment buffer = Arena.ofAuto().allocate(64);
    private final VrrpAdvert advert = new VrrpAdvert();
    private final VrrpInstance.Actions quiet = new VrrpInstance.Actions() {
        @Override
        public void sendAdvert(int priority) {
        }

        @Override
        public void becomeMaster() {
        }

        @Override
        public void becomeBackup() {
        }

        @Override
        public void anotherMaster(org.jvs.api.IpAddress address, int priority) {
        }
    };
    private final VrrpInstance instance = new VrrpInstance(
            new VrrpInstance.Settings("VI_1", 2, 51, 100, 100, true, 0, false, SOURCE, vips), quiet);

    @Test
    void shouldAllocateNothingPerAdvert() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        instance.start(0);
        long checksums = exercise(0);
        long before = threads.getCurrentThreadAllocatedBytes();

        checksums += exercise(ROUNDS);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(checksums != 0);
        assertEquals(VrrpInstance.State.BACKUP, instance.state());
        assertTrue(allocated < SLACK_BYTES, allocated + " bytes allocated over " + ROUNDS + " adverts");
    }

    private long exercise(int round) {
        long checksums = 0;
        for (int i = round; i < round + ROUNDS; i++) {
            int version = (i & 1) == 0 ? 2 : 3;
            int length = VrrpAdvert.write(buffer, 4, version, 51, 150, 100, vips, VrrpAdvert.AUTH_PASS, password,
                    PEER, GROUP);
            advert.wrap(buffer, 4);
            if (advert.validate(length, PEER, GROUP) == VrrpAdvert.OK && advert.address(1) == vips[1]) {
                checksums += advert.checksum() + advert.authPassword();
            }
            long now = i * 1_000_000_000L;
            instance.tick(now);
            instance.onAdvert(now, PEER, 150, 100);
        }
        return checksums;
    }
}
