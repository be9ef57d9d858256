package org.jvs.app;

import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.IpAddress;
import org.jvs.keepalived.config.ConfigException;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.VrrpInstanceConfig;
import org.jvs.keepalived.config.VrrpScriptConfig;
import org.jvs.keepalived.config.VrrpSyncGroupConfig;
import org.jvs.linux.GratuitousArp;
import org.jvs.linux.InterfaceAddresses;
import org.jvs.linux.LinuxHostNetwork;
import org.jvs.linux.Native;
import org.jvs.linux.UnsolicitedNeighbourAdverts;
import org.jvs.linux.VrrpLink;
import org.jvs.log.Log;
import org.jvs.net.NetInterface;
import org.jvs.service.Ipv4;
import org.jvs.service.Ipv6;
import org.jvs.vrrp.VrrpAdvert;
import org.jvs.vrrp.VrrpInstance;
import org.jvs.vrrp.VrrpSyncGroup;

/**
 * The vrrp_instances of a keepalived.conf, spoken on the wire as keepalived speaks them (VRRP v2 or v3 on IP
 * protocol 112, 224.0.0.18 or unicast peers; an IPv6 instance VRRPv3 to ff02::12 from the interface's link-local
 * address, or to its unicast peers): one thread waits on every instance's socket and timer. As MASTER an
 * instance adds its virtual addresses to their interfaces (IPv6 ones nodad) and sends gratuitous ARPs, or
 * unsolicited neighbour advertisements for IPv6 ones (again after garp_master_delay); as BACKUP it removes them and puts them on standby in the director, which then neither
 * answers ARP for them nor serves their virtual services. On shutdown a MASTER sends priority 0, so its peer takes
 * over after the skew time rather than the master down interval. State changes are logged in keepalived's words
 * and run the notify scripts, an instance's and its vrrp_sync_group's.
 * <p>
 * The instances come from {@link #reload}, at start and at every reload alike (see {@link VrrpReloadPlan}): an
 * instance whose settings did not change is left alone, one whose settings changed keeps its state and takes the
 * new ones in place, a removed one stops as at shutdown, a new one starts as at start.
 */
final class VrrpService implements AutoCloseable {
    private static final int IPV4_MIN_HEADER = 20;
    private static final int TTL_OFFSET = 8;
    private static final int PROTOCOL_OFFSET = 9;
    private static final int SOURCE_OFFSET = 12;
    private static final int DESTINATION_OFFSET = 16;
    private static final int MAX_WAIT_MS = 200;
    /** How long a reload waits for the VRRP thread, which answers within MAX_WAIT_MS when well. */
    private static final int RELOAD_WAIT_MS = 5_000;
    private static final int AUTH_NONE = 0;
    private static final int AUTH_PASS = 1;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** In file order; replaced whole by a reload (on the VRRP thread), read by status() from any thread. */
    private volatile List<Router> routers = List.of();
    private final Map<String, VrrpLink> links = new LinkedHashMap<>();
    /** The pollfd array for {@link #linkList}, rebuilt when a reload opens or closes a link. */
    private MemorySegment pollFds;
    private List<VrrpLink> linkList = List.of();
    /** The vrrp_sync_groups by name, and their configuration (whose notify scripts a reload may change). */
    private final Map<String, VrrpSyncGroup> groups = new LinkedHashMap<>();
    private Map<String, VrrpSyncGroupConfig> groupConfigs = Map.of();
    /** Reloads handed to the VRRP thread. */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final DirectorControl control;
    private final InterfaceAddresses addresses;
    private final LinuxHostNetwork network;
    private final Log log;
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
    /** Set once the director's data plane is stopping: control calls would wait for it in vain. */
    private volatile boolean directorGone;

    /** Told the name of each instance that became MASTER (the sync daemon then asks its peer for a resync). */
    private java.util.function.Consumer<String> becameMaster = name -> { };

    private VrrpService(DirectorControl control, InterfaceAddresses addresses, LinuxHostNetwork network,
                        Log log) {
        this.control = control;
        this.addresses = addresses;
        this.network = network;
        this.log = log;
        this.thread = new Thread(this::run, "jvs-vrrp");
    }

    /**
     * Starts the VRRP thread with no instance; {@link #reload} gives it the configuration's, at start as later.
     */
    static VrrpService start(DirectorControl control, LinuxHostNetwork network, Log log,
                             java.util.function.Consumer<String> becameMaster) throws IOException {
        VrrpService service = new VrrpService(control, InterfaceAddresses.open(), network, log);
        service.becameMaster = becameMaster;
        service.pollFds = service.arena.allocate(8, 4);
        service.thread.start();
        return service;
    }

    /**
     * Refuses, before anything of the reload is applied, a new instance (one that continues no running instance)
     * that could not start: its interface is missing or has no IPv4 address to send adverts from.
     */
    void check(KeepalivedConfig config) throws ConfigException {
        List<Router> running = routers;
        for (VrrpInstanceConfig next : config.vrrpInstances()) {
            if (running.stream().noneMatch(router -> router.config.sameRouterAs(next))) {
                String problem = cannotRun(next);
                if (problem != null) {
                    throw new ConfigException(next.where(), problem);
                }
            }
        }
    }

    /** Why the instance cannot run here, or null. */
    private String cannotRun(VrrpInstanceConfig config) {
        NetInterface netInterface = network.interfaceByName(config.interfaceName());
        if (netInterface == null) {
            return "vrrp_instance " + config.name() + ": no interface " + config.interfaceName()
                    + " in this network namespace";
        }
        if (config.unicastSource() == null && !config.ipv6() && netInterface.ipv4Address() == 0) {
            return "vrrp_instance " + config.name() + ": interface " + config.interfaceName()
                    + " has no IPv4 address to send adverts from (expected one, or unicast_src_ip)";
        }
        if (config.unicastSource() == null && config.ipv6() && linkLocal(config.interfaceName()) == null) {
            return "vrrp_instance " + config.name() + ": interface " + config.interfaceName()
                    + " has no IPv6 link-local address to send adverts from (expected one, or unicast_src_ip)";
        }
        return null;
    }

    /** The interface's IPv6 link-local address, or null. */
    private static IpAddress linkLocal(String interfaceName) {
        try {
            long[] address = InterfaceAddresses.linkLocal(interfaceName);
            return address == null ? null : new IpAddress(IpAddress.Family.IPV6, address[0], address[1]);
        } catch (IOException unreadable) {
            return null;
        }
    }

    /** The links are one per interface and family: an interface may carry IPv4 and IPv6 instances. */
    private static String linkKey(VrrpInstanceConfig config) {
        return config.interfaceName() + (config.ipv6() ? " IPv6" : "");
    }

    /**
     * Runs the configuration's vrrp_instances, vrrp_scripts and vrrp_sync_groups from now on, on the VRRP thread
     * between two of its rounds; returns the problems, one line each (none: applied). When a new instance cannot
     * open its socket, no VRRP change is made.
     */
    List<String> reload(KeepalivedConfig config) {
        if (!thread.isAlive()) {
            return List.of("VRRP: the VRRP thread has stopped");
        }
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                done.complete(apply(config));
            } catch (RuntimeException bug) {
                done.complete(List.of("VRRP: " + bug));
            }
        });
        try {
            return done.get(RELOAD_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException late) {
            return List.of("VRRP: the VRRP thread did not take the reload within " + RELOAD_WAIT_MS + " ms");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return List.of("VRRP: interrupted while reloading");
        }
    }

    /**
     * One line per instance for ./jvs status: state, effective priority, the master's address and since when,
     * and any other master seen for its virtual router. Read from any thread (each line is rebuilt on the VRRP
     * thread when something in it changes).
     */
    String status() {
        List<Router> all = routers;
        if (all.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Router router : all) {
            text.append(router.statusLine).append('\n');
        }
        return text.append('\n').toString();
    }

    /** Each instance's state by name, in file order, for /metrics; read from any thread as {@link #status()}. */
    Map<String, VrrpInstance.State> states() {
        Map<String, VrrpInstance.State> states = new LinkedHashMap<>();
        for (Router router : routers) {
            states.put(router.config.name(), router.shownState);
        }
        return states;
    }

    /** The director's data plane is stopping: state changes from now on leave it alone. */
    void directorStopping() {
        directorGone = true;
    }

    private void run() {
        while (running) {
            try {
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                long now = System.nanoTime();
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
                log.error("VRRP: " + bug);
                pause();
            }
        }
        long stopping = System.nanoTime();
        for (Router router : routers) {
            router.instance.shutdown(stopping);
        }
        for (VrrpSyncGroup group : groups.values()) {
            group.stop();
        }
    }

    /**
     * A reload (or the start) on the VRRP thread, in keepalived's order: the running instances are matched with the
     * new file's, removed ones stop, changed ones take their new settings, new ones start; then the sync groups and
     * tracking are worked out again.
     */
    private List<String> apply(KeepalivedConfig config) {
        long now = System.nanoTime();
        List<Router> before = routers;
        Set<IpAddress> heldBefore = heldBy(before);
        VrrpReloadPlan plan = VrrpReloadPlan.of(before.stream().map(router -> router.config).toList(),
                config.vrrpInstances());
        // first what may fail: the new instances' sockets; on failure nothing has changed
        Set<String> linksBefore = Set.copyOf(links.keySet());
        List<Router> after = new ArrayList<>();
        List<Router> started = new ArrayList<>();
        try {
            for (VrrpReloadPlan.Step step : plan.steps()) {
                if (step.isNew()) {
                    Router router = new Router(step.next());
                    started.add(router);
                    after.add(router);
                } else {
                    after.add(before.get(step.running()));
                }
            }
        } catch (IOException | RuntimeException failed) {
            closeLinksBut(linksBefore);
            return List.of("VRRP: " + (failed.getMessage() == null ? failed.toString() : failed.getMessage()));
        }
        replaceScripts(config);
        for (int removed : plan.removed()) {
            before.get(removed).remove(now);
        }
        for (VrrpReloadPlan.Step step : plan.steps()) {
            if (!step.isNew()) {
                Router router = before.get(step.running());
                if (step.unchanged()) {
                    router.config = step.next();
                } else {
                    router.configure(step.next(), now);
                }
            }
        }
        routers = List.copyOf(after);
        closeLinksBut(after.stream().map(router -> linkKey(router.config)).collect(
                java.util.stream.Collectors.toSet()));
        servedAgain(heldBefore, heldBy(after));
        Set<String> up = interfacesUp();
        for (Router router : started) {
            router.release();
            router.interfacesChanged(up);
        }
        List<VrrpSyncGroup> newGroups = regroup(config.vrrpSyncGroups());
        applyTracking(now);
        for (VrrpSyncGroup group : newGroups) {
            boolean memberDown = false;
            for (Router router : after) {
                memberDown |= router.group == group && router.inFault;
            }
            group.start(memberDown);
        }
        for (Router router : started) {
            router.instance.start(now);
        }
        if (!before.isEmpty() || !after.isEmpty()) {
            log.info("VRRP: " + after.size() + " instance(s): " + count(plan, true) + " unchanged, "
                    + (after.size() - started.size() - count(plan, true)) + " changed, " + started.size() + " new, "
                    + plan.removed().size() + " removed");
        }
        return List.of();
    }

    private static long count(VrrpReloadPlan plan, boolean unchanged) {
        return plan.steps().stream().filter(step -> step.unchanged() == unchanged && !step.isNew()).count();
    }

    /**
     * The vrrp_scripts tracked by some instance: one whose settings are the same keeps running with its state (as
     * keepalived's clear_diff_script); a new or changed one starts (a changed one keeps its state when its command
     * is the same); one no longer tracked stops.
     */
    private void replaceScripts(KeepalivedConfig config) {
        Set<String> tracked = new HashSet<>();
        for (VrrpInstanceConfig instance : config.vrrpInstances()) {
            instance.trackScripts().forEach(script -> tracked.add(script.name()));
        }
        Map<String, TrackedScript> next = new LinkedHashMap<>();
        for (String name : tracked) {
            VrrpScriptConfig scriptConfig = config.vrrpScripts().get(name);
            TrackedScript running = scripts.get(name);
            if (running != null && running.config.sameSettingsAs(scriptConfig)) {
                next.put(name, running);
                continue;
            }
            TrackedScript script = new TrackedScript(scriptConfig);
            if (running != null && running.config.script().equals(scriptConfig.script())) {
                script.up = running.up;
            }
            next.put(name, script);
            script.schedule = scriptRunner.scheduleWithFixedDelay(script::check, 0,
                    scriptConfig.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
        for (Map.Entry<String, TrackedScript> old : scripts.entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) {
                old.getValue().schedule.cancel(true);
            }
        }
        scripts.clear();
        scripts.putAll(next);
    }

    /**
     * The vrrp_sync_groups of the new file. A group with the same members as before carries on as it was; one whose
     * members changed takes the state of its members (announced if it differs from the group's before), and one
     * made only of new instances is returned, to start with them.
     */
    private List<VrrpSyncGroup> regroup(List<VrrpSyncGroupConfig> configs) {
        Map<String, VrrpSyncGroup> previous = new LinkedHashMap<>(groups);
        groups.clear();
        for (Router router : routers) {
            router.group = null;
            router.syncGroup = List.of();
        }
        List<VrrpSyncGroup> fresh = new ArrayList<>();
        for (VrrpSyncGroupConfig config : configs) {
            List<Router> members = routers.stream()
                    .filter(router -> config.members().contains(router.config.name())).toList();
            VrrpSyncGroup old = previous.get(config.name());
            boolean same = old != null && old.members().equals(members.stream().map(r -> r.instance).toList());
            VrrpSyncGroup group = same ? old : new VrrpSyncGroup(config.name(), this::groupStateChanged);
            for (Router member : members) {
                member.group = group;
                member.syncGroup = members.stream().filter(other -> other != member).toList();
                if (!same) {
                    group.add(member.instance);
                }
            }
            groups.put(config.name(), group);
            if (!same) {
                if (members.stream().allMatch(member -> member.instance.state() == VrrpInstance.State.INIT)) {
                    fresh.add(group);
                } else {
                    group.reloaded(old == null ? null : old.state());
                }
            }
        }
        groupConfigs = configs.stream().collect(java.util.stream.Collectors.toMap(VrrpSyncGroupConfig::name,
                group -> group, (first, second) -> first));
        return fresh;
    }

    /**
     * The addresses no instance holds any more are served again by the director, as after a start with the new
     * file (every address starts served; only an instance's are put on standby).
     */
    private void servedAgain(Set<IpAddress> heldBefore, Set<IpAddress> heldAfter) {
        if (directorGone) {
            return;
        }
        for (IpAddress address : heldBefore) {
            if (!heldAfter.contains(address)) {
                try {
                    control.standby(address, false);
                } catch (ControlException refused) {
                    log.warning("VRRP: " + refused.getMessage());
                }
            }
        }
    }

    private static Set<IpAddress> heldBy(List<Router> routers) {
        Set<IpAddress> held = new HashSet<>();
        for (Router router : routers) {
            held.addAll(router.virtualAddresses);
        }
        return held;
    }

    /** Closes the links of the interfaces not in {@code keep}, and makes the poll set match the links. */
    private void closeLinksBut(Set<String> keep) {
        links.entrySet().removeIf(entry -> {
            if (keep.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
        List<VrrpLink> now = List.copyOf(links.values());
        if (now.equals(linkList)) {
            return;
        }
        linkList = now;
        pollFds = arena.allocate(8L * Math.max(1, now.size()), 4);
        for (int i = 0; i < now.size(); i++) {
            pollFds.set(ValueLayout.JAVA_INT, 8L * i, now.get(i).pollFd());
            pollFds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, (short) Native.POLLIN);
        }
    }

    /** A vrrp_sync_group changed state: its notify_STATE, then notify with keepalived's GROUP NAME STATE 0. */
    private void groupStateChanged(VrrpSyncGroup group, VrrpInstance.State state) {
        log.info("VRRP_Group(" + group.name() + ") " + state);
        VrrpSyncGroupConfig config = groupConfigs.get(group.name());
        if (config == null) {
            return;
        }
        VrrpInstanceConfig.Notify notify = config.notifyScripts();
        runScript("VRRP_Group(" + group.name() + ")", switch (state) {
            case MASTER -> notify.master();
            case BACKUP -> notify.backup();
            case FAULT -> notify.fault();
            case STOP -> notify.stop();
            case INIT -> "";
        });
        if (!notify.any().isEmpty()) {
            runScript("VRRP_Group(" + group.name() + ")", notify.any() + " GROUP " + group.name() + " " + state
                    + " 0");
        }
    }

    /** Starts a notify script through /bin/sh, not waiting for it. */
    private void runScript(String who, String script) {
        if (script.isEmpty()) {
            return;
        }
        try {
            new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException failed) {
            log.warning("" + who + " notify script '" + script + "' did not start: "
                    + failed.getMessage());
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
                length = link.ipv6() ? link.receive6(received) : link.receive(received);
            } catch (IOException failed) {
                log.warning("VRRP on " + link.interfaceName() + ": " + failed.getMessage());
                return;
            }
            if (length == 0) {
                return;
            }
            if (link.ipv6()) {
                onPacket6(link, length);
            } else {
                onPacket(link, length);
            }
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
                router.onAdvert(0, source & 0xFFFF_FFFFL, ttl, "");
                return;
            }
        }
    }

    /**
     * An advert over IPv6 (the payload; the kernel gave its source, destination and hop limit): vrrp_check_packet's
     * checks, the hop limit of a multicast advert 255 (a unicast one may have come through routers, as keepalived
     * allows), and multicast for a multicast instance, unicast for a unicast one.
     */
    private void onPacket6(VrrpLink link, int length) {
        advert.wrap(received, 0);
        int verdict = advert.validate6(length, link.sourceHi(), link.sourceLo(), link.destinationHi(),
                link.destinationLo());
        if (verdict != VrrpAdvert.OK) {
            return;
        }
        boolean multicast = (link.destinationHi() >>> 56) == 0xFF;
        for (Router router : routers) {
            if (router.link == link && router.config.virtualRouterId() == advert.virtualRouterId()) {
                boolean unicastInstance = !router.config.unicastPeers().isEmpty();
                String mismatch = multicast == unicastInstance
                        ? (multicast ? "a multicast destination (expected unicast)" : "a unicast destination"
                                + " (expected multicast)") : "";
                router.onAdvert(link.sourceHi(), link.sourceLo(), multicast ? link.hopLimit() : -1, mismatch);
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
        /** Its runs on the script runner, cancelled when a reload drops or replaces the script. */
        ScheduledFuture<?> schedule;
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
                    log.info("VRRP_Script(" + config.name() + ") succeeded");
                    scriptsChanged.set(true);
                }
            } else {
                successes = 0;
                if (up && ++failures >= config.fall()) {
                    up = false;
                    log.info("VRRP_Script(" + config.name() + ") failed");
                    scriptsChanged.set(true);
                }
            }
        }
    }

    /** One vrrp_instance: its settings, the state machine, and what its state changes do to the host. */
    private final class Router implements VrrpInstance.Actions {
        final VrrpLink link;
        final VrrpInstance instance;
        /** Where its adverts come from: unicast_src_ip, or the interface's primary IPv4 or IPv6 link-local address. */
        final IpAddress source;
        /** The settings below change only by a reload ({@link #configure}), on the VRRP thread. */
        VrrpInstanceConfig config;
        /** Every address it holds as master, either family. */
        List<IpAddress> virtualAddresses;
        /** virtual_ipaddress alone (not the excluded ones): what adverts carry and must match; IPv4 ones. */
        int[] advertisedAddresses;
        /** An IPv6 instance's virtual_ipaddress, hi and lo of each. */
        long[] advertised6;
        int authType;
        byte[] password;
        long passwordBits;
        final MemorySegment out = arena.allocate(VrrpAdvert.length6(VrrpAdvert.MAX_ADDRESSES), 8);
        final Set<IpAddress> otherMastersLogged = new HashSet<>();
        long repeatArpsAtNs;
        boolean arpsPending;
        volatile String statusLine;
        /** The state at the last {@link #updateStatus}, for other threads (the state machine is the VRRP thread's). */
        volatile VrrpInstance.State shownState;
        /** Adverts of another master received while this one was master: a split network or a duplicate VRID. */
        long otherMasterAdverts;
        java.time.Instant since = java.time.Instant.now();
        IpAddress shownMaster;
        String lastMismatch = "";
        /** The tracking weights on the configured priority at the last look. */
        int trackingDelta;
        /** Set when a reload removed the instance: it stops, and says so as keepalived does. */
        boolean removed;
        /** Its vrrp_sync_group, or null. */
        VrrpSyncGroup group;

        Router(VrrpInstanceConfig config) throws IOException {
            String problem = cannotRun(config);
            if (problem != null) {
                throw new IOException(problem);
            }
            NetInterface netInterface = network.interfaceByName(config.interfaceName());
            source = config.unicastSource() != null ? config.unicastSource() : config.ipv6()
                    ? linkLocal(config.interfaceName()) : IpAddress.ofIpv4(netInterface.ipv4Address());
            VrrpLink shared = links.get(linkKey(config));
            if (shared == null) {
                // multicast from the address the v3 checksum's pseudo-header names, whatever else the interface holds
                shared = config.ipv6()
                        ? VrrpLink.open6(config.interfaceName(), source.hi(), source.lo(),
                                !config.unicastPeers().isEmpty())
                        : VrrpLink.open(config.interfaceName(), source.ipv4(),
                                config.unicastSource() == null ? 0 : config.unicastSource().ipv4());
                links.put(linkKey(config), shared);
            }
            link = shared;
            take(config);
            instance = new VrrpInstance(settings(config), this);
            updateStatus();
        }

        /** The settings that live here rather than in the state machine. */
        private void take(VrrpInstanceConfig next) {
            config = next;
            virtualAddresses = next.allAddresses().stream().map(VrrpInstanceConfig.VirtualIpAddress::address).toList();
            List<IpAddress> advertised = next.virtualAddresses().stream()
                    .map(VrrpInstanceConfig.VirtualIpAddress::address).toList();
            advertisedAddresses = advertised.stream().filter(IpAddress::isIpv4).mapToInt(IpAddress::ipv4).toArray();
            advertised6 = advertised.stream().filter(address -> !address.isIpv4())
                    .flatMapToLong(address -> java.util.stream.LongStream.of(address.hi(), address.lo())).toArray();
            authType = next.authPassword().isEmpty() || next.version() == 3 ? AUTH_NONE : AUTH_PASS;
            password = next.authPassword().getBytes(StandardCharsets.US_ASCII);
            passwordBits = VrrpAdvert.passwordBits(password);
        }

        private VrrpInstance.Settings settings(VrrpInstanceConfig next) {
            return new VrrpInstance.Settings(next.name(), next.version(), next.virtualRouterId(), next.priority(),
                    next.advertIntervalCentis(), next.preempt(), next.preemptDelayS() * 1_000_000_000L,
                    next.wantMaster(), source, virtualAddresses.stream().filter(IpAddress::isIpv4)
                            .mapToInt(IpAddress::ipv4).toArray());
        }

        /**
         * A reload changed the instance's settings; its state stays (keepalived's restore_vrrp_state and
         * clear_diff_vrrp_vip). A MASTER takes the addresses it no longer has off their interfaces and puts the new
         * ones on, with gratuitous ARPs for them (and a second round after garp_master_delay); anyone else keeps the
         * new addresses off and on standby. The state machine takes the new priority, interval and preemption:
         * a MASTER advertises the new priority at once.
         */
        void configure(VrrpInstanceConfig next, long nowNs) {
            List<VrrpInstanceConfig.VirtualIpAddress> previous = config.allAddresses();
            List<VrrpInstanceConfig.VirtualIpAddress> gone = new ArrayList<>(previous);
            gone.removeAll(next.allAddresses());
            List<VrrpInstanceConfig.VirtualIpAddress> added = new ArrayList<>(next.allAddresses());
            added.removeAll(previous);
            take(next);
            boolean master = instance.state() == VrrpInstance.State.MASTER;
            log.info("VRRP_Instance(" + next.name() + ") takes its new settings in "
                    + instance.state() + " state" + (gone.isEmpty() && added.isEmpty() ? ""
                    : ": " + added.size() + " address(es) added, " + gone.size() + " removed"));
            for (VrrpInstanceConfig.VirtualIpAddress address : gone) {
                if (master) {
                    removeAddress(address);
                }
            }
            for (VrrpInstanceConfig.VirtualIpAddress address : added) {
                if (master) {
                    addAddress(address);
                } else {
                    removeAddress(address);
                }
                standby(address.address(), !master);
            }
            applyScripts();
            instance.reconfigure(nowNs, settings(next), next.priority() + trackingDelta);
            if (master && !added.isEmpty()) {
                gratuitousArps();
                if (next.garpMasterDelayS() > 0) {
                    repeatArpsAtNs = System.nanoTime() + next.garpMasterDelayS() * 1_000_000_000L;
                    arpsPending = true;
                }
            }
            updateStatus();
        }

        /**
         * A reload removed the instance: it stops as at shutdown (a MASTER sends priority 0 and gives up its
         * addresses), leaves its sync group, and runs its FAULT notifies, as keepalived does for a deleted instance
         * unless it was in FAULT already.
         */
        void remove(long nowNs) {
            removed = true;
            group = null;
            syncGroup = List.of();
            log.info("VRRP_Instance(" + config.name() + ") removed by reload");
            instance.shutdown(nowNs);
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
            trackingDelta = delta;
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
                log.info("VRRP_Instance(" + config.name() + ") tracked interfaces up: "
                        + String.join(" ", new java.util.TreeSet<>(up)));
            }
            interfacesUp = up;
            return changed;
        }

        /** Rebuilds the status line; cheap enough for every state change and every new master. */
        void updateStatus() {
            IpAddress master = instance.state() == VrrpInstance.State.MASTER ? source : instance.master();
            shownMaster = master;
            shownState = instance.state();
            StringBuilder line = new StringBuilder("VRRP_Instance(").append(config.name()).append(") ")
                    .append(instance.state()).append(" on ").append(config.interfaceName()).append(", virtual router ")
                    .append(config.virtualRouterId()).append(", version ").append(config.version())
                    .append(", priority ").append(instance.effectivePriority()).append(", master ")
                    .append(master == null ? "unknown" : master.toString())
                    .append(source.equals(master) ? " (this director)" : "")
                    .append(", since ").append(since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            if (!otherMastersLogged.isEmpty()) {
                line.append(", other masters seen: ").append(otherMastersLogged.stream().sorted()
                        .map(IpAddress::toString).collect(java.util.stream.Collectors.joining(" ")))
                        .append(" (").append(otherMasterAdverts).append(" adverts while master)");
            }
            statusLine = line.toString();
        }

        @Override
        public void stateChanged(VrrpInstance.State previous, VrrpInstance.State current) {
            since = java.time.Instant.now();
            updateStatus();
            if (removed) {
                if (previous != VrrpInstance.State.FAULT) {
                    notify("FAULT", config.notifyScripts().fault());
                }
                return;
            }
            if (group != null) {
                group.memberChanged(instance, previous, current, System.nanoTime());
            }
        }

        long nextDeadlineNs() {
            long next = instance.nextDeadlineNs();
            return arpsPending ? Math.min(next, repeatArpsAtNs) : next;
        }

        /**
         * A valid advert for this instance's VRID from the address {@code sourceHi/sourceLo} (IPv4: hi 0), its TTL or
         * hop limit ({@code -1}: not to be checked), and {@code mismatch} when the link already found one.
         */
        void onAdvert(long sourceHi, long sourceLo, int ttl, String mismatch) {
            if (sourceHi == source.hi() && sourceLo == source.lo()) {
                return; // our own, looped back by a peer's switch
            }
            if (!mismatch.isEmpty()) {
                // the link's finding comes first
            } else if (ttl != 255 && ttl != -1) {
                mismatch = (config.ipv6() ? "hop limit " : "TTL ") + ttl + " (expected 255: the advert was routed)";
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
                    log.warning("VRRP_Instance(" + config.name() + ") ignores an advert from "
                            + (config.ipv6() ? Ipv6.toString(sourceHi, sourceLo) : Ipv4.toString((int) sourceLo))
                            + " with " + mismatch);
                    lastMismatch = mismatch;
                }
                return;
            }
            instance.onAdvert(System.nanoTime(), sourceHi, sourceLo, advert.priority(), advert.advertIntervalCentis());
            if (!java.util.Objects.equals(instance.master(), shownMaster)
                    && instance.state() != VrrpInstance.State.MASTER) {
                updateStatus();
            }
        }

        private boolean sameAddresses() {
            if (config.ipv6()) {
                if (advert.addressCount() != advertised6.length / 2) {
                    return false;
                }
                for (int i = 0; i < advert.addressCount(); i++) {
                    if (advert.addressHi(i) != advertised6[2 * i] || advert.addressLo(i) != advertised6[2 * i + 1]) {
                        return false;
                    }
                }
                return true;
            }
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
                if (config.unicastPeers().isEmpty() && config.ipv6()) {
                    send(priority, VrrpLink.VRRP_GROUP6_HI, VrrpLink.VRRP_GROUP6_LO);
                } else if (config.unicastPeers().isEmpty()) {
                    send(priority, 0, VrrpLink.VRRP_GROUP & 0xFFFF_FFFFL);
                } else {
                    for (IpAddress peer : config.unicastPeers()) {
                        send(priority, peer.hi(), peer.lo());
                    }
                }
            } catch (IOException failed) {
                log.warning("VRRP_Instance(" + config.name() + ") cannot send an advert: "
                        + failed.getMessage());
            }
        }

        /** An advert to the address with these two longs (IPv4: hi 0), over the instance's family. */
        private void send(int priority, long destinationHi, long destinationLo) throws IOException {
            if (config.ipv6()) {
                int length = VrrpAdvert.write6(out, 0, config.virtualRouterId(), priority,
                        config.advertIntervalCentis(), advertised6, source.hi(), source.lo(), destinationHi,
                        destinationLo);
                link.send6(out, length, destinationHi, destinationLo);
                return;
            }
            int destination = (int) destinationLo;
            int length = VrrpAdvert.write(out, 0, config.version(), config.virtualRouterId(), priority,
                    config.advertIntervalCentis(), advertisedAddresses, authType, password, source.ipv4(),
                    destination);
            link.send(out, length, destination);
        }

        @Override
        public void becomeMaster() {
            log.info("VRRP_Instance(" + config.name() + ") Entering MASTER STATE");
            for (VrrpInstanceConfig.VirtualIpAddress address : config.allAddresses()) {
                addAddress(address);
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
            if (removed) {
                return; // stateChanged says why
            }
            String state = switch (instance.state()) {
                case FAULT -> "FAULT";
                case STOP -> "STOP";
                default -> "BACKUP";
            };
            log.info("VRRP_Instance(" + config.name() + ") Entering " + state + " STATE");
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
                removeAddress(address);
            }
        }

        private void addAddress(VrrpInstanceConfig.VirtualIpAddress address) {
            IpAddress ip = address.address();
            try {
                if (ip.isIpv4()) {
                    addresses.add(address.device(), ip.ipv4(), address.prefixLength(), address.label());
                } else {
                    addresses.add6(address.device(), ip.hi(), ip.lo(), address.prefixLength());
                }
            } catch (IOException failed) {
                log.warning("VRRP_Instance(" + config.name() + "): " + failed.getMessage());
            }
        }

        private void removeAddress(VrrpInstanceConfig.VirtualIpAddress address) {
            IpAddress ip = address.address();
            try {
                if (ip.isIpv4()) {
                    addresses.remove(address.device(), ip.ipv4(), address.prefixLength());
                } else {
                    addresses.remove6(address.device(), ip.hi(), ip.lo(), address.prefixLength());
                }
            } catch (IOException failed) {
                log.warning("VRRP_Instance(" + config.name() + "): " + failed.getMessage());
            }
        }

        private void standby(boolean onStandby) {
            for (IpAddress address : virtualAddresses) {
                standby(address, onStandby);
            }
        }

        private void standby(IpAddress address, boolean onStandby) {
            if (directorGone) {
                return;
            }
            try {
                control.standby(address, onStandby);
            } catch (ControlException refused) {
                log.warning("VRRP_Instance(" + config.name() + "): " + refused.getMessage());
            }
        }

        @Override
        public void anotherMaster(IpAddress address, int priority) {
            otherMasterAdverts++;
            if (otherMastersLogged.add(address)) {
                log.warning("VRRP_Instance(" + config.name() + ") another master for virtual router "
                        + config.virtualRouterId() + " on " + config.interfaceName() + ": " + address
                        + " (priority " + priority + ") besides this one (" + source
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

        /**
         * Gratuitous ARPs for the IPv4 addresses and unsolicited neighbour advertisements for the IPv6 ones, on each
         * address's interface, garp_master_repeat of each (keepalived's vrrp_send_link_update).
         */
        private void gratuitousArps() {
            Map<String, List<IpAddress>> byDevice = new LinkedHashMap<>();
            for (VrrpInstanceConfig.VirtualIpAddress address : config.allAddresses()) {
                byDevice.computeIfAbsent(address.device(), d -> new ArrayList<>()).add(address.address());
            }
            for (Map.Entry<String, List<IpAddress>> device : byDevice.entrySet()) {
                NetInterface netInterface = network.interfaceByName(device.getKey());
                if (netInterface == null) {
                    continue;
                }
                int[] ipv4 = device.getValue().stream().filter(IpAddress::isIpv4).mapToInt(IpAddress::ipv4).toArray();
                long[] ipv6 = device.getValue().stream().filter(address -> !address.isIpv4())
                        .flatMapToLong(address -> java.util.stream.LongStream.of(address.hi(), address.lo())).toArray();
                try {
                    if (ipv4.length > 0) {
                        GratuitousArp.send(device.getKey(), netInterface.mac(), ipv4, config.garpMasterRepeat());
                    }
                    if (ipv6.length > 0) {
                        UnsolicitedNeighbourAdverts.send(device.getKey(), netInterface.mac(), ipv6,
                                config.garpMasterRepeat());
                    }
                } catch (IOException failed) {
                    log.warning("VRRP_Instance(" + config.name() + "): " + failed.getMessage());
                }
            }
        }

        /** notify_STATE, then notify with keepalived's arguments: INSTANCE name state priority. */
        private void notify(String state, String script) {
            String who = "VRRP_Instance(" + config.name() + ")";
            runScript(who, script);
            if (!config.notifyScripts().any().isEmpty()) {
                runScript(who, config.notifyScripts().any() + " INSTANCE " + config.name() + " " + state + " "
                        + instance.effectivePriority());
            }
        }
    }
}
