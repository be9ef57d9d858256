package org.jvs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.keepalived.config.VrrpInstanceConfig;
import org.jvs.keepalived.config.VrrpScriptConfig;
import org.jvs.keepalived.config.VrrpSyncGroupConfig;
import org.jvs.linux.GratuitousArp;
import org.jvs.linux.InterfaceAddresses;
import org.jvs.linux.LinuxHostNetwork;
import org.jvs.linux.Native;
import org.jvs.linux.VrrpLink;
import org.jvs.net.NetInterface;
import org.jvs.service.Ipv4;
import org.jvs.vrrp.VrrpAdvert;
import org.jvs.vrrp.VrrpInstance;

/**
 * The vrrp_instances of a keepalived.conf, spoken on the wire as keepalived speaks them (VRRP v2 or v3 on IP
 * protocol 112, 224.0.0.18 or unicast peers): one thread waits on every instance's socket and timer. As MASTER an
 * instance adds its virtual addresses to their interfaces and sends gratuitous ARPs (again after
 * garp_master_delay); as BACKUP it removes them and puts them on standby in the director, which then neither
 * answers ARP for them nor serves their virtual services. On shutdown a MASTER sends priority 0, so its peer takes
 * over after the skew time rather than the master down interval. State changes are logged in keepalived's words
 * and run the notify scripts.
 */
final class VrrpService implements AutoCloseable {
    private static final int IPV4_MIN_HEADER = 20;
    private static final int TTL_OFFSET = 8;
    private static final int PROTOCOL_OFFSET = 9;
    private static final int SOURCE_OFFSET = 12;
    private static final int DESTINATION_OFFSET = 16;
    private static final int MAX_WAIT_MS = 200;
    private static final int AUTH_NONE = 0;
    private static final int AUTH_PASS = 1;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final List<Router> routers = new ArrayList<>();
    private final Map<String, VrrpLink> links = new LinkedHashMap<>();
    private final DirectorControl control;
    private final InterfaceAddresses addresses;
    private final LinuxHostNetwork network;
    private final PrintStream log;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment received = arena.allocate(65536, 8);
    private final VrrpAdvert advert = new VrrpAdvert();
    private final Thread thread;
    private final Map<String, TrackedScript> scripts = new LinkedHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService scriptRunner =
            java.util.concurrent.Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon()
                    .name("jvs-vrrp-script-", 0).factory());
    /** Set by the script runner when a script went up or down; the VRRP thread then recomputes priorities. */
    private final java.util.concurrent.atomic.AtomicBoolean scriptsChanged = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean running = true;
    /** Set while a sync group's members follow one of them (on the VRRP thread). */
    private boolean propagating;
    /** Set once the director's data plane is stopping: control calls would wait for it in vain. */
    private volatile boolean directorGone;

    /** Told the name of each instance that became MASTER (the sync daemon then asks its peer for a resync). */
    private java.util.function.Consumer<String> becameMaster = name -> { };

    private VrrpService(DirectorControl control, InterfaceAddresses addresses, LinuxHostNetwork network,
                        PrintStream log) {
        this.control = control;
        this.addresses = addresses;
        this.network = network;
        this.log = log;
        this.thread = new Thread(this::run, "jvs-vrrp");
    }

    /**
     * Opens every instance's socket, takes its addresses off their interfaces and puts them on standby (an
     * instance starts as BACKUP, as keepalived's do), then starts the instances.
     */
    static VrrpService start(List<VrrpInstanceConfig> instances, Map<String, VrrpScriptConfig> scriptConfigs,
                             List<VrrpSyncGroupConfig> syncGroups, DirectorControl control, LinuxHostNetwork network,
                             PrintStream log, java.util.function.Consumer<String> becameMaster) throws IOException {
        VrrpService service = new VrrpService(control, InterfaceAddresses.open(), network, log);
        service.becameMaster = becameMaster;
        try {
            for (VrrpInstanceConfig config : instances) {
                for (VrrpInstanceConfig.TrackedScript tracked : config.trackScripts()) {
                    service.scripts.computeIfAbsent(tracked.name(),
                            name -> service.new TrackedScript(scriptConfigs.get(name)));
                }
            }
            for (VrrpInstanceConfig config : instances) {
                service.routers.add(service.new Router(config));
            }
            for (VrrpSyncGroupConfig group : syncGroups) {
                List<Router> members = service.routers.stream()
                        .filter(router -> group.members().contains(router.config.name())).toList();
                for (Router member : members) {
                    member.syncGroup = members.stream().filter(other -> other != member).toList();
                }
            }
            for (Router router : service.routers) {
                router.release();
            }
        } catch (IOException | RuntimeException e) {
            service.closeSockets();
            throw e;
        }
        service.thread.start();
        for (TrackedScript script : service.scripts.values()) {
            service.scriptRunner.scheduleWithFixedDelay(script::check, 0, script.config.interval().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return service;
    }

    /**
     * One line per instance for ./jvs status: state, effective priority, the master's address and since when,
     * and any other master seen for its virtual router. Read from any thread (each line is rebuilt on the VRRP
     * thread when something in it changes).
     */
    String status() {
        StringBuilder text = new StringBuilder();
        for (Router router : routers) {
            text.append(router.statusLine).append('\n');
        }
        return text.append('\n').toString();
    }

    /** The director's data plane is stopping: state changes from now on leave it alone. */
    void directorStopping() {
        directorGone = true;
    }

    private void run() {
        long now = System.nanoTime();
        Set<String> up = interfacesUp();
        for (Router router : routers) {
            router.interfacesChanged(up);
        }
        applyTracking(now);
        for (Router router : routers) {
            router.instance.start(now);
        }
        List<VrrpLink> linkList = List.copyOf(links.values());
        MemorySegment pollFds = arena.allocate(8L * linkList.size(), 4);
        for (int i = 0; i < linkList.size(); i++) {
            pollFds.set(ValueLayout.JAVA_INT, 8L * i, linkList.get(i).pollFd());
            pollFds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, (short) Native.POLLIN);
        }
        while (running) {
            try {
                now = System.nanoTime();
                boolean trackingChange = scriptsChanged.getAndSet(false);
                Set<String> upNow = interfacesUp();
                for (Router router : routers) {
                    trackingChange |= router.interfacesChanged(upNow);
                }
                if (trackingChange) {
                    applyTracking(now);
                }
                long deadline = Long.MAX_VALUE;
                for (Router router : routers) {
                    router.instance.tick(now);
                    router.repeatGratuitousArps(now);
                    deadline = Math.min(deadline, router.nextDeadlineNs());
                }
                long waitMs = deadline == Long.MAX_VALUE ? MAX_WAIT_MS
                        : Math.max(0, Math.min(MAX_WAIT_MS, (deadline - now + 999_999) / 1_000_000));
                Native.poll(pollFds, linkList.size(), (int) waitMs);
                for (VrrpLink link : linkList) {
                    receiveAll(link);
                }
            } catch (RuntimeException bug) {
                // a VRRP router that stops speaking would let its peer take over while it still holds the VIPs
                log.println("jvs director: VRRP: " + bug);
                pause();
            }
        }
        long stopping = System.nanoTime();
        for (Router router : routers) {
            router.instance.shutdown(stopping);
        }
    }

    /**
     * Every instance's priority and FAULT from its tracked scripts and interfaces; a member of a vrrp_sync_group is
     * in FAULT while any member has a reason to be (vrrp_sync_fault).
     */
    private void applyTracking(long nowNs) {
        for (Router router : routers) {
            router.applyScripts();
        }
        for (Router router : routers) {
            boolean fault = router.ownFault;
            for (Router peer : router.syncGroup) {
                fault |= peer.ownFault;
            }
            router.fault(nowNs, fault);
        }
    }

    /**
     * A member of a sync group moved into or out of MASTER: the others follow (vrrp_sync_master, vrrp_sync_backup).
     * The moves they make in turn are not propagated again.
     */
    private void followInGroup(Router moved, VrrpInstance.State previous, VrrpInstance.State current) {
        if (propagating || moved.syncGroup.isEmpty()) {
            return;
        }
        propagating = true;
        try {
            long nowNs = System.nanoTime();
            for (Router peer : moved.syncGroup) {
                if (current == VrrpInstance.State.MASTER) {
                    peer.instance.syncMaster(nowNs);
                } else if (previous == VrrpInstance.State.MASTER && current == VrrpInstance.State.BACKUP) {
                    peer.instance.syncBackup(nowNs);
                }
            }
        } finally {
            propagating = false;
        }
    }

    /** The interfaces up now, by name, as the director's view of the host (refreshed from rtnetlink) has them. */
    private Set<String> interfacesUp() {
        Set<String> up = new HashSet<>();
        for (NetInterface netInterface : network.attachableInterfaces()) {
            up.add(netInterface.name());
        }
        return up;
    }

    private void receiveAll(VrrpLink link) {
        for (int reads = 0; reads < 64; reads++) {
            int length;
            try {
                length = link.receive(received);
            } catch (IOException failed) {
                log.println("jvs director: VRRP on " + link.interfaceName() + ": " + failed.getMessage());
                return;
            }
            if (length == 0) {
                return;
            }
            onPacket(link, length);
        }
    }

    /** vrrp_check_packet's checks that need the instance: TTL, version, VRID, authentication, addresses. */
    private void onPacket(VrrpLink link, int length) {
        if (length < IPV4_MIN_HEADER) {
            return;
        }
        int headerLength = (received.get(ValueLayout.JAVA_BYTE, 0) & 0x0F) * 4;
        if (headerLength < IPV4_MIN_HEADER || length < headerLength
                || (received.get(ValueLayout.JAVA_BYTE, PROTOCOL_OFFSET) & 0xFF) != VrrpLink.IPPROTO_VRRP) {
            return;
        }
        int ttl = received.get(ValueLayout.JAVA_BYTE, TTL_OFFSET) & 0xFF;
        int source = received.get(BE32, SOURCE_OFFSET);
        int destination = received.get(BE32, DESTINATION_OFFSET);
        advert.wrap(received, headerLength);
        int verdict = advert.validate(length - headerLength, source, destination);
        if (verdict != VrrpAdvert.OK) {
            return;
        }
        for (Router router : routers) {
            if (router.link == link && router.config.virtualRouterId() == advert.virtualRouterId()) {
                router.onAdvert(source, ttl);
                return;
            }
        }
    }

    @Override
    public void close() {
        scriptRunner.shutdownNow();
        running = false;
        try {
            thread.join(3_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        closeSockets();
    }

    private void closeSockets() {
        for (VrrpLink link : links.values()) {
            link.close();
        }
        addresses.close();
        if (arena.scope().isAlive() && !thread.isAlive()) {
            arena.close();
        }
    }

    /** A short pause after an unexpected failure, so a persistent one does not spin. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A vrrp_script: run every interval by the script runner, up after {@code rise} successes in a row and down after
     * {@code fall} failures (exit status other than 0, or no exit within the timeout).
     */
    private final class TrackedScript {
        final VrrpScriptConfig config;
        volatile boolean up;
        int successes;
        int failures;

        TrackedScript(VrrpScriptConfig config) {
            this.config = config;
            this.up = !config.initiallyDown();
        }

        void check() {
            boolean passed;
            try {
                Process process = new ProcessBuilder("/bin/sh", "-c", config.script()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                passed = process.waitFor(config.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        && process.exitValue() == 0;
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            } catch (IOException failed) {
                passed = false;
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            }
            if (passed) {
                failures = 0;
                if (!up && ++successes >= config.rise()) {
                    up = true;
                    log.println("jvs director: VRRP_Script(" + config.name() + ") succeeded");
                    scriptsChanged.set(true);
                }
            } else {
                successes = 0;
                if (up && ++failures >= config.fall()) {
                    up = false;
                    log.println("jvs director: VRRP_Script(" + config.name() + ") failed");
                    scriptsChanged.set(true);
                }
            }
        }
    }

    /** One vrrp_instance: its settings, the state machine, and what its state changes do to the host. */
    private final class Router implements VrrpInstance.Actions {
        final VrrpInstanceConfig config;
        final VrrpLink link;
        final VrrpInstance instance;
        final int sourceAddress;
        final int[] virtualAddresses;
        /** virtual_ipaddress alone (not the excluded ones): what adverts carry and must match. */
        final int[] advertisedAddresses;
        final int authType;
        final byte[] password;
        final long passwordBits;
        final MemorySegment out = arena.allocate(VrrpAdvert.length(3, 255) + 8, 8);
        final Set<Integer> otherMastersLogged = new HashSet<>();
        long repeatArpsAtNs;
        boolean arpsPending;
        volatile String statusLine;
        /** Adverts of another master received while this one was master: a split network or a duplicate VRID. */
        long otherMasterAdverts;
        java.time.Instant since = java.time.Instant.now();
        int shownMaster;
        String lastMismatch = "";

        Router(VrrpInstanceConfig config) throws IOException {
            this.config = config;
            NetInterface netInterface = network.interfaceByName(config.interfaceName());
            if (netInterface == null) {
                throw new IOException("vrrp_instance " + config.name() + ": no interface " + config.interfaceName()
                        + " in this network namespace");
            }
            sourceAddress = config.unicastSource() != 0 ? config.unicastSource() : netInterface.ipv4Address();
            if (sourceAddress == 0) {
                throw new IOException("vrrp_instance " + config.name() + ": interface " + config.interfaceName()
                        + " has no IPv4 address to send adverts from (expected one, or unicast_src_ip)");
            }
            VrrpLink shared = links.get(config.interfaceName());
            if (shared == null) {
                // multicast from the address the v3 checksum's pseudo-header names, whatever else the interface holds
                shared = VrrpLink.open(config.interfaceName(), sourceAddress, config.unicastSource());
                links.put(config.interfaceName(), shared);
            }
            link = shared;
            virtualAddresses = config.allAddresses().stream().mapToInt(VrrpInstanceConfig.VirtualIpAddress::address)
                    .toArray();
            advertisedAddresses = config.virtualAddresses().stream()
                    .mapToInt(VrrpInstanceConfig.VirtualIpAddress::address).toArray();
            authType = config.authPassword().isEmpty() || config.version() == 3 ? AUTH_NONE : AUTH_PASS;
            password = config.authPassword().getBytes(StandardCharsets.US_ASCII);
            passwordBits = VrrpAdvert.passwordBits(password);
            instance = new VrrpInstance(new VrrpInstance.Settings(config.name(), config.version(),
                    config.virtualRouterId(), config.priority(), config.advertIntervalCentis(), config.preempt(),
                    config.preemptDelayS() * 1_000_000_000L, config.wantMaster(), sourceAddress, virtualAddresses),
                    this);
            updateStatus();
        }

        /** Whether a weight-0 tracked script or interface of its own is down. */
        boolean ownFault;
        /** Whether the instance is in FAULT: for a reason of its own or of another member of its sync group. */
        boolean inFault;
        /** The other members of its vrrp_sync_group, if any. */
        List<Router> syncGroup = List.of();
        /** The interfaces that were up at the last look, by name. */
        Set<String> interfacesUp = Set.of();

        /**
         * The tracked scripts' and interfaces' weights on the configured priority (positive ones while up,
         * negative ones while down), and FAULT while a weight-0 one (the instance's own interface among them) is
         * down, as keepalived's vrrp_set_effective_priority and down_instance do.
         */
        void applyScripts() {
            int delta = 0;
            boolean fault = !interfacesUp.contains(config.interfaceName());
            for (VrrpInstanceConfig.TrackedScript tracked : config.trackScripts()) {
                TrackedScript script = scripts.get(tracked.name());
                int weight = tracked.weight() != null ? tracked.weight() : script.config.weight();
                if (weight == 0) {
                    fault |= !script.up;
                } else if (weight > 0 ? script.up : !script.up) {
                    delta += weight;
                }
            }
            for (VrrpInstanceConfig.TrackedInterface tracked : config.trackInterfaces()) {
                boolean up = interfacesUp.contains(tracked.name());
                if (tracked.weight() == 0) {
                    fault |= !up;
                } else if (tracked.weight() > 0 ? up : !up) {
                    delta += tracked.weight();
                }
            }
            instance.priority(config.priority() + delta);
            ownFault = fault;
            updateStatus();
        }

        void fault(long nowNs, boolean fault) {
            if (fault != inFault) {
                inFault = fault;
                instance.fault(nowNs, fault);
            }
        }

        /** Re-reads which interfaces are up; true when one this instance tracks changed. */
        boolean interfacesChanged(Set<String> up) {
            boolean changed = up.contains(config.interfaceName()) != interfacesUp.contains(config.interfaceName());
            for (VrrpInstanceConfig.TrackedInterface tracked : config.trackInterfaces()) {
                changed |= up.contains(tracked.name()) != interfacesUp.contains(tracked.name());
            }
            if (changed && !interfacesUp.isEmpty()) {
                log.println("jvs director: VRRP_Instance(" + config.name() + ") tracked interfaces up: "
                        + String.join(" ", new java.util.TreeSet<>(up)));
            }
            interfacesUp = up;
            return changed;
        }

        /** Rebuilds the status line; cheap enough for every state change and every new master. */
        void updateStatus() {
            int master = instance.state() == VrrpInstance.State.MASTER ? sourceAddress : instance.masterAddress();
            shownMaster = master;
            StringBuilder line = new StringBuilder("VRRP_Instance(").append(config.name()).append(") ")
                    .append(instance.state()).append(" on ").append(config.interfaceName()).append(", virtual router ")
                    .append(config.virtualRouterId()).append(", version ").append(config.version())
                    .append(", priority ").append(instance.effectivePriority()).append(", master ")
                    .append(master == 0 ? "unknown" : Ipv4.toString(master))
                    .append(master == sourceAddress ? " (this director)" : "")
                    .append(", since ").append(since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            if (!otherMastersLogged.isEmpty()) {
                line.append(", other masters seen: ").append(otherMastersLogged.stream().map(Ipv4::toString)
                        .sorted().collect(java.util.stream.Collectors.joining(" ")))
                        .append(" (").append(otherMasterAdverts).append(" adverts while master)");
            }
            statusLine = line.toString();
        }

        @Override
        public void stateChanged(VrrpInstance.State previous, VrrpInstance.State current) {
            since = java.time.Instant.now();
            updateStatus();
            followInGroup(this, previous, current);
        }

        long nextDeadlineNs() {
            long next = instance.nextDeadlineNs();
            return arpsPending ? Math.min(next, repeatArpsAtNs) : next;
        }

        void onAdvert(int source, int ttl) {
            if (source == sourceAddress) {
                return; // our own, looped back by a peer's switch
            }
            String mismatch = "";
            if (ttl != 255) {
                mismatch = "TTL " + ttl + " (expected 255: the advert was routed)";
            } else if (advert.version() != config.version()) {
                mismatch = "version " + advert.version() + " (expected " + config.version() + ")";
            } else if (config.version() == 2 && (advert.authType() != authType
                    || (authType == AUTH_PASS && advert.authPassword() != passwordBits))) {
                mismatch = "authentication that does not match ours";
            } else if (!sameAddresses()) {
                mismatch = advert.addressCount() + " virtual addresses that differ from ours";
            }
            if (!mismatch.isEmpty()) {
                if (!mismatch.equals(lastMismatch)) {
                    log.println("jvs director: VRRP_Instance(" + config.name() + ") ignores an advert from "
                            + Ipv4.toString(source) + " with " + mismatch);
                    lastMismatch = mismatch;
                }
                return;
            }
            instance.onAdvert(System.nanoTime(), source, advert.priority(), advert.advertIntervalCentis());
            if (instance.masterAddress() != shownMaster && instance.state() != VrrpInstance.State.MASTER) {
                updateStatus();
            }
        }

        private boolean sameAddresses() {
            if (advert.addressCount() != advertisedAddresses.length) {
                return false;
            }
            for (int i = 0; i < advert.addressCount(); i++) {
                if (advert.address(i) != advertisedAddresses[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void sendAdvert(int priority) {
            try {
                if (config.unicastPeers().isEmpty()) {
                    send(priority, VrrpLink.VRRP_GROUP);
                } else {
                    for (int peer : config.unicastPeers()) {
                        send(priority, peer);
                    }
                }
            } catch (IOException failed) {
                log.println("jvs director: VRRP_Instance(" + config.name() + ") cannot send an advert: "
                        + failed.getMessage());
            }
        }

        private void send(int priority, int destination) throws IOException {
            int length = VrrpAdvert.write(out, 0, config.version(), config.virtualRouterId(), priority,
                    config.advertIntervalCentis(), advertisedAddresses, authType, password, sourceAddress,
                    destination);
            link.send(out, length, destination);
        }

        @Override
        public void becomeMaster() {
            log.println("jvs director: VRRP_Instance(" + config.name() + ") Entering MASTER STATE");
            for (VrrpInstanceConfig.VirtualIpAddress address : config.allAddresses()) {
                try {
                    addresses.add(address.device(), address.address(), address.prefixLength(), address.label());
                } catch (IOException failed) {
                    log.println("jvs director: VRRP_Instance(" + config.name() + "): " + failed.getMessage());
                }
            }
            standby(false);
            gratuitousArps();
            if (config.garpMasterDelayS() > 0) {
                repeatArpsAtNs = System.nanoTime() + config.garpMasterDelayS() * 1_000_000_000L;
                arpsPending = true;
            }
            notify("MASTER", config.notifyScripts().master());
            becameMaster.accept(config.name());
        }

        @Override
        public void becomeBackup() {
            arpsPending = false;
            release();
            String state = switch (instance.state()) {
                case FAULT -> "FAULT";
                case STOP -> "STOP";
                default -> "BACKUP";
            };
            log.println("jvs director: VRRP_Instance(" + config.name() + ") Entering " + state + " STATE");
            notify(state, switch (state) {
                case "FAULT" -> config.notifyScripts().fault();
                case "STOP" -> config.notifyScripts().stop();
                default -> config.notifyScripts().backup();
            });
        }

        /** The addresses leave their interfaces and the director serves them no more. */
        void release() {
            standby(true);
            for (VrrpInstanceConfig.VirtualIpAddress address : config.allAddresses()) {
                try {
                    addresses.remove(address.device(), address.address(), address.prefixLength());
                } catch (IOException failed) {
                    log.println("jvs director: VRRP_Instance(" + config.name() + "): " + failed.getMessage());
                }
            }
        }

        private void standby(boolean onStandby) {
            if (directorGone) {
                return;
            }
            for (int address : virtualAddresses) {
                try {
                    control.standby(address, onStandby);
                } catch (ControlException refused) {
                    log.println("jvs director: VRRP_Instance(" + config.name() + "): " + refused.getMessage());
                }
            }
        }

        @Override
        public void anotherMaster(int address, int priority) {
            otherMasterAdverts++;
            if (otherMastersLogged.add(address)) {
                log.println("jvs director: VRRP_Instance(" + config.name() + ") another master for virtual router "
                        + config.virtualRouterId() + " on " + config.interfaceName() + ": " + Ipv4.toString(address)
                        + " (priority " + priority + ") besides this one (" + Ipv4.toString(sourceAddress)
                        + ", priority " + instance.effectivePriority() + ")");
            }
            updateStatus();
        }

        void repeatGratuitousArps(long nowNs) {
            if (arpsPending && nowNs - repeatArpsAtNs >= 0) {
                arpsPending = false;
                if (instance.state() == VrrpInstance.State.MASTER) {
                    gratuitousArps();
                }
            }
        }

        private void gratuitousArps() {
            Map<String, List<Integer>> byDevice = new LinkedHashMap<>();
            for (VrrpInstanceConfig.VirtualIpAddress address : config.allAddresses()) {
                byDevice.computeIfAbsent(address.device(), d -> new ArrayList<>()).add(address.address());
            }
            for (Map.Entry<String, List<Integer>> device : byDevice.entrySet()) {
                NetInterface netInterface = network.interfaceByName(device.getKey());
                if (netInterface == null) {
                    continue;
                }
                try {
                    GratuitousArp.send(device.getKey(), netInterface.mac(),
                            device.getValue().stream().mapToInt(Integer::intValue).toArray(), config.garpMasterRepeat());
                } catch (IOException failed) {
                    log.println("jvs director: VRRP_Instance(" + config.name() + "): " + failed.getMessage());
                }
            }
        }

        /** notify_STATE, then notify with keepalived's arguments: INSTANCE name state priority. */
        private void notify(String state, String script) {
            run(script);
            if (!config.notifyScripts().any().isEmpty()) {
                run(config.notifyScripts().any() + " INSTANCE " + config.name() + " " + state + " "
                        + instance.effectivePriority());
            }
        }

        private void run(String script) {
            if (script.isEmpty()) {
                return;
            }
            try {
                new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException failed) {
                log.println("jvs director: VRRP_Instance(" + config.name() + ") notify script '" + script
                        + "' did not start: " + failed.getMessage());
            }
        }
    }
}
