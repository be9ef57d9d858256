package org.jvs.core;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jvs.core.DirectorTest.CLIENT;
import static org.jvs.core.DirectorTest.CLIENT_MAC;
import static org.jvs.core.DirectorTest.RS1;
import static org.jvs.core.DirectorTest.RS1_MAC;
import static org.jvs.core.DirectorTest.VIP;
import static org.jvs.core.DirectorTest.WEB;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE;
import static org.jvs.core.InMemoryHost.CLIENT_SIDE_MAC;
import static org.jvs.core.InMemoryHost.DIRECTOR_SERVER_IP;
import static org.jvs.core.InMemoryHost.SERVER_SIDE;
import static org.jvs.core.InMemoryHost.SERVER_SIDE_MAC;
import static org.jvs.packet.Reference.ip;

/** ./jvs trace inside the director: the traced connections' frames as received and as sent, and nothing else. */
class TraceTapTest {
    static final long S = 1_000_000_000L;
    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 1024);
    final DirectorConfig config = new DirectorConfig(director);

    TraceTapTest() throws ControlException {
        director.now(S);
        feed(CLIENT_SIDE, Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP));
        feed(SERVER_SIDE, Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, DIRECTOR_SERVER_IP));
        host.drain();
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 8080, ForwardingMethod.MASQ, 1, 0, 0));
    }

    void feed(int ifindex, byte[] frame) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }

    List<TraceTap.Frame> drain(TraceTap tap) {
        List<TraceTap.Frame> frames = new ArrayList<>();
        tap.drain(frames::add, 100);
        return frames;
    }

    @Test
    void shouldRecordAConnectionsFramesBeforeAndAfterRewriteInBothDirections() {
        TraceTap tap = new TraceTap(Protocol.TCP, VIP, 80, CLIENT, 100 * S, 2048, 1 << 16);
        director.trace(tap);

        byte[] syn = FullNatDirectorTest.fromClient(40000);
        feed(CLIENT_SIDE, syn);
        byte[] toServer = host.drain().getFirst().frame();
        byte[] reply = Frames.withMacs(FullNatDirectorTest.tcp(RS1, 8080, CLIENT, 40000, 64).bytes(),
                SERVER_SIDE_MAC, RS1_MAC);
        feed(SERVER_SIDE, reply);
        byte[] toClient = host.drain().getFirst().frame();

        List<TraceTap.Frame> frames = drain(tap);
        assertThat(frames).extracting(TraceTap.Frame::ifindex, TraceTap.Frame::direction).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CLIENT_SIDE, TraceTap.RECEIVED),
                org.assertj.core.groups.Tuple.tuple(SERVER_SIDE, TraceTap.SENT),
                org.assertj.core.groups.Tuple.tuple(SERVER_SIDE, TraceTap.RECEIVED),
                org.assertj.core.groups.Tuple.tuple(CLIENT_SIDE, TraceTap.SENT));
        assertThat(frames.get(0).bytes()).isEqualTo(syn);
        assertThat(frames.get(1).bytes()).isEqualTo(toServer);
        assertThat(frames.get(2).bytes()).isEqualTo(reply);
        assertThat(frames.get(3).bytes()).isEqualTo(toClient);
        assertThat(frames.get(0).nowNs()).isEqualTo(S);
    }

    @Test
    void shouldIgnoreOtherClientsAndEndAtItsTime() {
        TraceTap tap = new TraceTap(Protocol.TCP, VIP, 80, ip(198, 51, 100, 99), 2 * S, 2048, 1 << 16);
        director.trace(tap);
        feed(CLIENT_SIDE, FullNatDirectorTest.fromClient(40000));
        assertThat(drain(tap)).isEmpty();

        TraceTap everyone = new TraceTap(Protocol.TCP, VIP, 80, 0, 2 * S, 64, 1 << 16);
        director.trace(everyone);
        director.now(3 * S);
        feed(CLIENT_SIDE, FullNatDirectorTest.fromClient(40001));
        assertThat(drain(everyone)).isEmpty();
    }

    @Test
    void shouldCutFramesAtTheSnapLengthAndCountWhatTheRingCannotHold() {
        TraceTap tap = new TraceTap(Protocol.TCP, VIP, 80, 0, 100 * S, 40, 512);
        director.trace(tap);
        for (int port = 40000; port < 40004; port++) {
            feed(CLIENT_SIDE, FullNatDirectorTest.fromClient(port));
        }
        List<TraceTap.Frame> frames = drain(tap);
        assertThat(frames).isNotEmpty().allSatisfy(frame -> assertThat(frame.bytes()).hasSize(40));
        assertThat(tap.lost()).isPositive();
        assertThat(frames.size() + tap.lost()).isEqualTo(8);
    }
}
