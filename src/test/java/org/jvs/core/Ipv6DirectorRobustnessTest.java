package org.jvs.core;

import java.lang.foreign.MemorySegment;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.packet.Ipv6FrameBuilder;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.Ipv6Rig.CLIENT6;
import static org.jvs.core.Ipv6Rig.LIP6;
import static org.jvs.core.Ipv6Rig.RS6;
import static org.jvs.core.Ipv6Rig.VIP6;

/**
 * Whatever IPv6 frames arrive - for a VIP of every method, from a real server, in fragments, with any extension
 * chain, cut anywhere - the director handles each without throwing, counting what it does not forward.
 */
class Ipv6DirectorRobustnessTest {
    private static final int[] EXTENSIONS = {0, 43, 44, 60, 50, 59};
    private static final int[] PROTOCOLS = {Protocol.TCP, Protocol.UDP, Protocol.ICMPV6, 41, 4, 0};

    @Property(tries = 100)
    void shouldHandleAnyIpv6FrameWithoutThrowing(@ForAll @IntRange(max = 3) int port,
                                                 @ForAll @IntRange(max = 5) int protocolChoice,
                                                 @ForAll @Size(max = 3) int[] extensions,
                                                 @ForAll @Size(max = 1700) byte[] payload,
                                                 @ForAll boolean fromServer, @ForAll @IntRange(max = 2) int truncate,
                                                 @ForAll int tcpFlags) throws ControlException {
        Ipv6Rig rig = new Ipv6Rig(new DiscardingSink());
        rig.service(Protocol.TCP, IpAddress.ofIpv6(RS6), 8080, ForwardingMethod.MASQ);
        ServiceKey fullNat = new ServiceKey(Protocol.UDP, IpAddress.ofIpv6(VIP6), 80);
        rig.config.addService(new ServiceSpec(fullNat, "rr", "", 0, 128));
        rig.config.addRealServer(fullNat, new RealServerSpec(IpAddress.ofIpv6(RS6), 8080,
                ForwardingMethod.FULLNAT, 1, 0, 0));
        rig.localAddress(fullNat, IpAddress.ofIpv6(LIP6));

        Ipv6 source = fromServer ? RS6 : CLIENT6;
        Ipv6 destination = fromServer ? (port == 0 ? LIP6 : CLIENT6) : VIP6;
        Ipv6FrameBuilder builder = new Ipv6FrameBuilder().source(source.hi(), source.lo())
                .destination(destination.hi(), destination.lo()).protocol(PROTOCOLS[protocolChoice])
                .ports(fromServer ? 8080 : 40000, fromServer ? 40000 + port : 80).tcpFlags(tcpFlags & 0x3F)
                .payload(payload);
        for (int extension : extensions) {
            int type = EXTENSIONS[Math.floorMod(extension, EXTENSIONS.length)];
            if (type == 44) {
                builder.fragment(Math.floorMod(extension, 3) * 8, (extension & 1) != 0, extension & 3);
            } else {
                builder.extension(type, Math.floorMod(extension, 2));
            }
        }
        byte[] bytes = builder.bytes();
        int length = bytes.length - truncate * (bytes.length / 3);
        MemorySegment frame = Frames.nativeCopy(bytes);
        rig.director.onFrame(fromServer ? SERVER_SIDE : CLIENT_SIDE, frame, 0, length, 0);
        rig.director.onFrame(fromServer ? SERVER_SIDE : CLIENT_SIDE, Frames.nativeCopy(bytes), 0, bytes.length, 0);

        assertThat(rig.count(Counter.FRAMES_IN)).isGreaterThanOrEqualTo(2);
    }
}
