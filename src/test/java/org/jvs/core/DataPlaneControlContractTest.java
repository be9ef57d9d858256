package org.jvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.net.KernelBypass;
import org.jvs.packet.FrameBuilder;
import org.jvs.packet.TcpHeader;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.Protocol;

/** A change is applied and answered, or refused with nothing changed; a listing never holds the data plane long. */
class DataPlaneControlContractTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

    final InMemoryHost host = new InMemoryHost();
    final Director director = new Director(host, host, KernelBypass.NONE, 40_000);
    final DirectorConfig config = new DirectorConfig(director);

    @Test
    void shouldRefuseACallTheDataPlaneNeverTookAndNeverApplyItLater() throws ControlException {
        DataPlaneControl control = new DataPlaneControl(config, 200);

        ControlException refused = assertThrows(ControlException.class,
                () -> control.addService(new ServiceSpec(WEB, "rr", "", 0, -1)));
        control.drain(16);

        assertThat(refused.getMessage()).isEqualTo("Director did not answer call 1 within 200 ms; nothing was changed");
        assertThat(config.services(null)).isEmpty();
    }

    @Test
    void shouldRingTheDataPlanesDoorbellForEveryQueuedCall() throws Exception {
        DataPlaneControl control = new DataPlaneControl(config, 5_000);
        java.util.concurrent.atomic.AtomicInteger rings = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch rung = new java.util.concurrent.CountDownLatch(1);
        control.doorbell(() -> {
            rings.incrementAndGet();
            rung.countDown();
        });

        CompletableFuture<Void> adding = CompletableFuture.runAsync(() -> {
            try {
                control.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
            } catch (ControlException e) {
                throw new IllegalStateException(e);
            }
        });
        // a waiting data plane drains only once woken: the doorbell must ring after the call is queued
        assertThat(rung.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(control.drain(16)).isEqualTo(1);
        adding.get(5, TimeUnit.SECONDS);

        assertThat(rings.get()).isEqualTo(1);
        assertThat(config.services(null)).hasSize(1);
    }

    @Test
    void shouldListEveryConnectionOnePageOfIdsPerDutyCycle() throws Exception {
        director.now(1_000_000_000L);
        feed(Frames.arp(2, CLIENT_MAC, CLIENT, CLIENT_SIDE_MAC, InMemoryHost.DIRECTOR_CLIENT_IP), CLIENT_SIDE);
        feed(Frames.arp(2, RS1_MAC, RS1, SERVER_SIDE_MAC, InMemoryHost.DIRECTOR_SERVER_IP), SERVER_SIDE);
        config.addService(new ServiceSpec(WEB, "rr", "", 0, -1));
        config.addRealServer(WEB, new RealServerSpec(RS1, 80, ForwardingMethod.MASQ, 1, 0, 0));
        int connections = 20_000;
        for (int port = 0; port < connections; port++) {
            feed(Frames.withMacs(new FrameBuilder().source(CLIENT).destination(VIP).ports(10_000 + port, 80)
                    .tcpFlags(TcpHeader.SYN).bytes(), CLIENT_SIDE_MAC, CLIENT_MAC), CLIENT_SIDE);
        }
        host.drain();
        DataPlaneControl control = new DataPlaneControl(config);

        CompletableFuture<List<ConnectionSnapshot>> listing = CompletableFuture.supplyAsync(() -> {
            try {
                return control.connections();
            } catch (ControlException e) {
                throw new IllegalStateException(e);
            }
        });
        int cycles = 0;
        while (!listing.isDone() && cycles < 1_000) {
            // one call per duty cycle, as a data plane whose queue holds only the listing drains it
            if (control.drain(1) > 0) {
                cycles++;
            }
            Thread.onSpinWait();
        }

        assertThat(listing.get(5, TimeUnit.SECONDS)).hasSize(connections);
        int capacity = director.connections().capacity();
        assertThat(cycles).isEqualTo((capacity + DataPlaneControl.LISTING_PAGE_IDS - 1) / DataPlaneControl.LISTING_PAGE_IDS);
    }

    private void feed(byte[] frame, int ifindex) {
        MemorySegment segment = Frames.nativeCopy(frame);
        director.onFrame(ifindex, segment, 0, frame.length, 0);
    }
}
