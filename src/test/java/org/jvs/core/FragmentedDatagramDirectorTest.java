package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;

/**
 * A 4000-byte UDP datagram that reaches the VIP in three fragments leaves for the real server whole in content:
 * made whole, forwarded by its method, and fragmented again to fit the way out.
 */
class FragmentedDatagramDirectorTest {
    static final ServiceKey DNS = new ServiceKey(Protocol.UDP, VIP, 53);

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);

    private void feed(byte[] frame, int ifindex) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    /** The IP payload the real server's reassembly would produce: fragment payloads in offset order. */
    private static byte[] reassembledPayload(List<InMemoryHost.Sent> sent) {
        byte[] payload = new byte[65536];
        int end = 0;
        for (InMemoryHost.Sent frame : sent) {
            byte[] bytes = frame.frame();
            int headerLength = (bytes[14] & 0x0F) * 4;
            int offset = ((bytes[14 + 6] & 0x1F) << 8 | bytes[14 + 7] & 0xFF) * 8;
            int length = bytes.length - 14 - headerLength;
            System.arraycopy(bytes, 14 + headerLength, payload, offset, length);
            end = Math.max(end, offset + length);
        }
        return Arrays.copyOf(payload, end);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ForwardingMethod.class, names = {"MASQ", "ROUTE", "TUNNEL", "FULLNAT"})
    void shouldForwardADatagramThatArrivedInFragmentsWholeInContent(ForwardingMethod method) throws ControlException {
        director.now(1_000_000_000L);
        feed(Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), CLIENT_SIDE);
        feed(Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
        config.addService(new ServiceSpec(DNS, "rr", "", 0, -1));
        config.addRealServer(DNS, new RealServerSpec(RS1, 53, method, 1, 0, 0));
        host.drain();
        byte[] payload = new byte[4000 - 8];
        new Random(53).nextBytes(payload);
        byte[] whole = Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(40000, 53).udp()
                .dontFragment(false).identification(0x4242).payload(payload).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC);

        for (byte[] fragment : Frames.fragments(whole, 1500)) {
            feed(fragment, CLIENT_SIDE);
        }

        List<InMemoryHost.Sent> sent = host.drain();
        assertThat(sent).allSatisfy(frame -> assertThat(frame.frame().length).isLessThanOrEqualTo(14 + InMemoryHost.MTU));
        assertThat(sent).hasSizeGreaterThanOrEqualTo(3);
        byte[] ipPayload = reassembledPayload(sent);
        // the datagram's own payload, after its UDP header (and, for TUN, the inner IP header)
        int innerHeaders = method == ForwardingMethod.TUNNEL ? 20 + 8 : 8;
        assertThat(Arrays.copyOfRange(ipPayload, innerHeaders, ipPayload.length)).isEqualTo(payload);
        assertThat(director.counters().get(Counter.DATAGRAMS_REASSEMBLED)).isEqualTo(1);
        assertThat(director.counters().get(Counter.DATAGRAMS_FRAGMENTED)).isEqualTo(1);
    }
}
