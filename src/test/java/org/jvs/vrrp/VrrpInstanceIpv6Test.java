package org.jvs.vrrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvs.api.IpAddress;
import org.jvs.service.Ipv6;
import org.jvs.vrrp.VrrpInstance.Reception;
import org.jvs.vrrp.VrrpInstance.Settings;
import org.jvs.vrrp.VrrpInstance.State;

/** An IPv6 instance: VRRPv3 only, and elections on equal priority decided by the 128-bit source addresses. */
class VrrpInstanceIpv6Test {
    private static final IpAddress LOCAL = IpAddress.ofIpv6(Ipv6.parse("fe80::ff:fe00:a"));
    private static final IpAddress HIGHER = IpAddress.ofIpv6(Ipv6.parse("fe80::ff:fe00:b"));
    /** Higher in its upper 64 bits, lower in the lower ones: the upper bits decide. */
    private static final IpAddress HIGHER_PREFIX = IpAddress.ofIpv6(Ipv6.parse("fe80:0:0:1::1"));
    /** Its lower 64 bits have the top bit set: compared unsigned, as keepalived's memcmp. */
    private static final IpAddress LOWER = IpAddress.ofIpv6(Ipv6.parse("fe80::1"));
    private static final IpAddress TOP_BIT = IpAddress.ofIpv6(Ipv6.parse("fe80::8000:0:0:1"));
    private static final long SECOND = 1_000_000_000L;

    private final VrrpInstanceTest.Recorder actions = new VrrpInstanceTest.Recorder();

    private VrrpInstance master() {
        VrrpInstance instance = new VrrpInstance(new Settings("VI6", 3, 51, 100, 100, true, 0, false, LOCAL,
                new int[0]), actions);
        instance.start(0);
        assertNull(instance.master());
        instance.tick(10 * SECOND);
        assertEquals(State.MASTER, instance.state());
        assertEquals(LOCAL, instance.master());
        actions.take();
        return instance;
    }

    private static Reception advert(VrrpInstance instance, IpAddress from) {
        return instance.onAdvert(11 * SECOND, from.hi(), from.lo(), 100, 100);
    }

    @Test
    void shouldYieldToAnEqualPriorityMasterWithAHigherAddress() {
        for (IpAddress higher : List.of(HIGHER, HIGHER_PREFIX, TOP_BIT)) {
            VrrpInstance instance = master();

            assertEquals(Reception.YIELDED, advert(instance, higher), higher.toString());
            assertEquals(State.BACKUP, instance.state());
            assertEquals(higher, instance.master());
        }
    }

    @Test
    void shouldStayMasterOverAnEqualPriorityMasterWithALowerAddress() {
        VrrpInstance instance = master();

        assertEquals(Reception.LOWER_PRIORITY_MASTER, advert(instance, LOWER));
        assertEquals(State.MASTER, instance.state());
        assertEquals(List.of("send 100", "another fe80::1 100"), actions.take());
    }

    @Test
    void shouldRefuseVrrpV2OverIpv6() {
        assertThrows(IllegalArgumentException.class, () -> new Settings("VI6", 2, 51, 100, 100, true, 0, false,
                LOCAL, new int[0]));
    }
}
