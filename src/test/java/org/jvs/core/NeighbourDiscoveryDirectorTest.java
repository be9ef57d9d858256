package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.CapturedFrames;
import org.jvs.packet.EthernetHeader;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.Ipv6Header;
import org.jvs.packet.NeighborMessage;
import org.jvs.sched.RoundRobinScheduler;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Ipv6;
import org.jvs.service.Protocol;
import org.jvs.service.RealServer;
import org.jvs.service.VirtualService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.NeighbourDiscoveryFrames.ADVERTISEMENT;
import static org.jvs.core.NeighbourDiscoveryFrames.DAD_PROBE;
import static org.jvs.core.NeighbourDiscoveryFrames.DIRECTOR_MAC;
import static org.jvs.core.NeighbourDiscoveryFrames.ECHO_REPLY;
import static org.jvs.core.NeighbourDiscoveryFrames.ECHO_REQUEST;
import static org.jvs.core.NeighbourDiscoveryFrames.EXPECTED_DAD_DEFENCE;
import static org.jvs.core.NeighbourDiscoveryFrames.EXPECTED_SOLICITATION;
import static org.jvs.core.NeighbourDiscoveryFrames.NEIGHBOUR;
import static org.jvs.core.NeighbourDiscoveryFrames.NEIGHBOUR_ADVERTISEMENT;
import static org.jvs.core.NeighbourDiscoveryFrames.NEIGHBOUR_MAC;
import static org.jvs.core.NeighbourDiscoveryFrames.SOLICITATION;
import static org.jvs.core.NeighbourDiscoveryFrames.VIP;
import static org.jvs.core.NeighbourDiscoveryFrames.changed;
import static org.jvs.core.NeighbourDiscoveryFrames.dadProbe;
import static org.jvs.core.NeighbourDiscoveryFrames.rewritten;
import static org.jvs.core.NeighbourDiscoveryFrames.unsolicited;

/**
 * Neighbour Discovery through {@link Director#onFrame}, against frames Linux sent ({@link NeighbourDiscoveryFrames}):
 * the director's client side has the MAC of the captured host that held 2001:db8::b, here the VIP, so its answers
 * must be the capture's bytes.
 */
class NeighbourDiscoveryDirectorTest {

    private final InMemoryHost host = new InMemoryHost(DIRECTOR_MAC);
    private final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    private final VirtualService service = new VirtualService(Protocol.TCP, VIP, 80, new RoundRobinScheduler());
    private long nowNs = 1_000_000_000L;

    @BeforeEach
    void addService() {
        service.addRealServer(new RealServer(Ipv6.parse("2001:db8:5::1"), 80, ForwardingMethod.MASQ, 1));
        director.services().add(service);
        director.now(nowNs);
    }

    private void feed(int ifindex, byte[] frame) {
        director.onFrame(ifindex, Frames.nativeCopy(frame), 0, frame.length, 0);
    }

    private long counter(Counter counter) {
        return director.counters().get(counter);
    }

    @Test
    void shouldAnswerASolicitationForTheVipAsLinuxDoes() {
        feed(CLIENT_SIDE, SOLICITATION);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).ifindex()).isEqualTo(CLIENT_SIDE);
        assertThat(HexFormat.of().formatHex(out.get(0).frame())).isEqualTo(HexFormat.of().formatHex(ADVERTISEMENT));
        assertThat(counter(Counter.ND_ADVERTISEMENTS_SENT)).isEqualTo(1);
    }

    @Test
    void shouldDefendTheVipAgainstDuplicateAddressDetection() {
        feed(CLIENT_SIDE, dadProbe(VIP));

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(HexFormat.of().formatHex(out.get(0).frame()))
                .isEqualTo(HexFormat.of().formatHex(EXPECTED_DAD_DEFENCE));
        assertThat(director.neighbours6().size()).as("nothing learnt from ::").isZero();
    }

    @Test
    void shouldLeaveADuplicateAddressDetectionOfAnotherAddressAlone() {
        feed(CLIENT_SIDE, DAD_PROBE);

        assertThat(host.drain()).isEmpty();
        assertThat(counter(Counter.DROP_ND_INVALID)).isZero();
    }

    @Test
    void shouldNotAnswerForAStandbyVip() {
        director.services().standby6(VIP.hi(), VIP.lo(), true);

        feed(CLIENT_SIDE, SOLICITATION);

        assertThat(host.drain()).isEmpty();
        assertThat(counter(Counter.ND_ADVERTISEMENTS_SENT)).isZero();
    }

    /** What a VRRP backup's VrrpService asks through the api (DirectorControl.standby with an IPv6 address). */
    @Test
    void shouldNotAnswerForAVipAVrrpPeerHoldsUntilTheControlApiTakesItOffStandby() {
        DirectorConfig control = new DirectorConfig(director);
        control.standby(IpAddress.ofIpv6(VIP), true);

        feed(CLIENT_SIDE, SOLICITATION);
        assertThat(host.drain()).isEmpty();
        assertThat(director.services().match6(Protocol.TCP, VIP.hi(), VIP.lo(), 80)).isNull();

        control.standby(IpAddress.ofIpv6(VIP), false);
        feed(CLIENT_SIDE, SOLICITATION);
        assertThat(host.drain()).hasSize(1);
        assertThat(director.services().match6(Protocol.TCP, VIP.hi(), VIP.lo(), 80)).isSameAs(service);
    }

    @Test
    void shouldLeaveAVipOnTheHostToTheKernel() {
        host.localAddress6Hi = VIP.hi();
        host.localAddress6Lo = VIP.lo();

        feed(CLIENT_SIDE, SOLICITATION);

        assertThat(host.drain()).isEmpty();
    }

    @Test
    void shouldAnswerForALocalAddressOnlyOnItsInterfaceAndNotOnStandby() throws ControlException {
        Ipv6 lip = Ipv6.parse("2001:db8:d::100");
        director.localAddresses().add(service, new LocalAddressSpec(IpAddress.ofIpv6(lip), "c0"));
        byte[] solicitation = rewritten(SOLICITATION, (ip, message) -> message.solicitation(lip.hi(), lip.lo())
                .linkLayerAddressOption(NeighborMessage.OPTION_SOURCE_LINK_LAYER_ADDRESS, NEIGHBOUR_MAC));

        feed(SERVER_SIDE, solicitation);
        assertThat(host.drain()).as("not given for s0").isEmpty();

        feed(CLIENT_SIDE, solicitation);
        assertThat(host.drain()).hasSize(1);

        director.services().standby6(lip.hi(), lip.lo(), true);
        feed(CLIENT_SIDE, solicitation);
        assertThat(host.drain()).isEmpty();
    }

    enum Invalid {
        HOP_LIMIT((ip, message) -> ip.hopLimit(64), false),
        CHECKSUM((ip, message) -> message.icmp().checksum(message.icmp().checksum() ^ 1), false),
        CODE((ip, message) -> message.icmp().code(1), true),
        MULTICAST_TARGET((ip, message) -> message.solicitation(0xFF02_0000_0000_0000L, 1), true),
        DAD_WITH_SOURCE_LINK_LAYER_ADDRESS((ip, message) -> ip.source(0, 0), true);

        final NeighbourDiscoveryFrames.Change change;
        final boolean checksummed;

        Invalid(NeighbourDiscoveryFrames.Change change, boolean checksummed) {
            this.change = change;
            this.checksummed = checksummed;
        }
    }

    @ParameterizedTest
    @EnumSource(Invalid.class)
    void shouldDropAndCountAnInvalidSolicitation(Invalid invalid) {
        byte[] frame = invalid.checksummed ? rewritten(SOLICITATION, invalid.change)
                : changed(SOLICITATION, invalid.change);

        feed(CLIENT_SIDE, frame);

        assertThat(host.drain()).isEmpty();
        assertThat(counter(Counter.DROP_ND_INVALID)).isEqualTo(1);
        assertThat(director.neighbours6().size()).as("nothing learnt").isZero();
    }

    @Test
    void shouldDropAndCountASolicitedAdvertisementToAllNodes() {
        send(ECHO_REPLY);
        host.drain();

        feed(CLIENT_SIDE, unsolicited(NEIGHBOUR_MAC, NeighborMessage.SOLICITED | NeighborMessage.OVERRIDE));

        assertThat(counter(Counter.DROP_ND_INVALID)).isEqualTo(1);
        assertThat(host.drain()).as("the held frame stays held").isEmpty();
        assertThat(director.neighbours6().mac(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo()))
                .isEqualTo(Neighbours.UNKNOWN);
    }

    @Test
    void shouldLeaveOtherIpv6FramesWhereTheyWent() {
        feed(CLIENT_SIDE, ECHO_REQUEST);

        assertThat(host.drain()).isEmpty();
        assertThat(counter(Counter.NOT_OURS)).isEqualTo(1);
    }

    @Test
    void shouldSolicitAnUnresolvedNextHopAsLinuxDoesAndHoldTheFrame() {
        assertThat(send(ECHO_REPLY)).isTrue();

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(1);
        assertThat(HexFormat.of().formatHex(out.get(0).frame()))
                .isEqualTo(HexFormat.of().formatHex(EXPECTED_SOLICITATION));
        assertThat(counter(Counter.ND_SOLICITATIONS_SENT)).isEqualTo(1);
    }

    @Test
    void shouldReleaseHeldFramesInOrderWhenTheNeighbourAdvertises() {
        send(ECHO_REPLY);
        send(withPayloadByte(ECHO_REPLY, 7));
        host.drain();

        feed(CLIENT_SIDE, NEIGHBOUR_ADVERTISEMENT);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).frame()).isEqualTo(ECHO_REPLY);
        assertThat(out.get(1).frame()).isEqualTo(withPayloadByte(ECHO_REPLY, 7));
        assertThat(director.neighbours6().mac(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo())).isEqualTo(NEIGHBOUR_MAC);
        assertThat(counter(Counter.DROP_NEIGHBOUR_UNRESOLVED)).isZero();
    }

    @Test
    void shouldSolicitAgainOnlyAfterTheRetryInterval() {
        send(ECHO_REPLY);
        nowNs += Egress.ARP_RETRY_NS - 1;
        director.now(nowNs);
        send(ECHO_REPLY);
        assertThat(counter(Counter.ND_SOLICITATIONS_SENT)).isEqualTo(1);

        nowNs += 1;
        director.now(nowNs);
        send(ECHO_REPLY);
        assertThat(counter(Counter.ND_SOLICITATIONS_SENT)).isEqualTo(2);
    }

    @Test
    void shouldDropAndCountFramesNotAnsweredWithinTheHoldTime() {
        send(ECHO_REPLY);
        nowNs += PendingFrames.HOLD_NS + 1;
        director.now(nowNs);

        feed(CLIENT_SIDE, NEIGHBOUR_ADVERTISEMENT);

        assertThat(host.drain()).hasSize(1).as("the solicitation only");
        assertThat(counter(Counter.DROP_NEIGHBOUR_UNRESOLVED)).isEqualTo(1);
    }

    @Test
    void shouldLearnFromASolicitationsSourceLinkLayerAddress() {
        Ipv6 vip2 = Ipv6.parse("2001:db8::c");
        director.services().add(new VirtualService(Protocol.TCP, vip2, 80, new RoundRobinScheduler()));
        send(ECHO_REPLY);
        host.drain();

        feed(CLIENT_SIDE, SOLICITATION);

        List<InMemoryHost.Sent> out = host.drain();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).frame()).as("the held frame first, released on learning").isEqualTo(ECHO_REPLY);
        assertThat(out.get(1).frame()).isEqualTo(ADVERTISEMENT);
    }

    @Test
    void shouldNotLearnFromASolicitationForAnAddressNotItsOwn() {
        Ipv6 other = Ipv6.parse("2001:db8::99");

        feed(CLIENT_SIDE, rewritten(SOLICITATION, (ip, message) -> message.solicitation(other.hi(), other.lo())
                .linkLayerAddressOption(NeighborMessage.OPTION_SOURCE_LINK_LAYER_ADDRESS, NEIGHBOUR_MAC)));

        assertThat(host.drain()).isEmpty();
        assertThat(director.neighbours6().size()).isZero();
        assertThat(counter(Counter.DROP_ND_INVALID)).isZero();
    }

    @Test
    void shouldTeachEveryWorkerButAnswerFromTheFirstOnly() {
        Handoff handoff = new Handoff(2, 1 << 20);
        InMemoryHost otherHost = new InMemoryHost(DIRECTOR_MAC);
        Director other = new Director(otherHost, otherHost, KernelBypass.NONE, 1024);
        other.services().add(new VirtualService(Protocol.TCP, VIP, 80, new RoundRobinScheduler()));
        director.joinWorkers(0, handoff);
        other.joinWorkers(1, handoff);

        feed(CLIENT_SIDE, SOLICITATION);
        assertThat(other.receiveHandedOff(8)).isEqualTo(1);

        assertThat(host.drain()).extracting(InMemoryHost.Sent::frame).containsExactly(ADVERTISEMENT);
        assertThat(otherHost.drain()).isEmpty();
        assertThat(other.neighbours6().mac(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo())).isEqualTo(NEIGHBOUR_MAC);
    }

    @Test
    void shouldIgnoreAnAdvertisementOfANeighbourItNeverAskedFor() {
        feed(CLIENT_SIDE, NEIGHBOUR_ADVERTISEMENT);

        assertThat(director.neighbours6().size()).isZero();
        assertThat(host.drain()).isEmpty();
    }

    @Test
    void shouldTakeANewMacFromAnUnsolicitedAdvertisementOnlyWithOverride() {
        send(ECHO_REPLY);
        feed(CLIENT_SIDE, NEIGHBOUR_ADVERTISEMENT);
        host.drain();
        long newMac = 0x02_00_00_00_0a_02L;

        feed(CLIENT_SIDE, unsolicited(newMac, 0));
        assertThat(director.neighbours6().mac(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo())).isEqualTo(NEIGHBOUR_MAC);

        feed(CLIENT_SIDE, unsolicited(newMac, NeighborMessage.OVERRIDE));
        assertThat(director.neighbours6().mac(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo())).isEqualTo(newMac);
        send(ECHO_REPLY);
        assertThat(Frames.destinationMac(host.drain().getFirst().frame())).isEqualTo(newMac);
    }

    @Test
    void shouldFormTheLinkLocalAddressAsTheKernelDid() {
        // the capture's last frame: the host with MAC 02:00:00:00:0b:02 probing fe80::ff:fe00:b02
        assertThat(NeighbourSolicitor.linkLocalLo(DIRECTOR_MAC)).isEqualTo(Ipv6.parse("fe80::ff:fe00:b02").lo());
        assertThat(NeighbourSolicitor.linkLocalLo(0x00_1b_21_3c_4d_5eL))
                .isEqualTo(Ipv6.parse("fe80::21b:21ff:fe3c:4d5e").lo());
    }

    private boolean send(byte[] frame) {
        MemorySegment segment = Frames.nativeCopy(frame);
        return director.solicitor().send(CLIENT_SIDE, NEIGHBOUR.hi(), NEIGHBOUR.lo(), segment, 0, frame.length, 0);
    }

    private static byte[] withPayloadByte(byte[] frame, int value) {
        byte[] copy = frame.clone();
        copy[copy.length - 1] = (byte) value;
        return copy;
    }
}
