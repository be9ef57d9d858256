package org.jvs.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.agrona.concurrent.IdleStrategy;
import org.jvs.api.ControlException;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.conn.LocalPorts;
import org.jvs.core.DataPlane;
import org.jvs.core.DataPlaneControl;
import org.jvs.core.DataPlaneWorkers;
import org.jvs.core.Handoff;
import org.jvs.core.SharedKernelBypass;
import org.jvs.core.SteeringRules;
import org.jvs.core.Director;
import org.jvs.core.DirectorConfig;
import org.jvs.core.PortSink;
import org.jvs.ctl.ControlServer;
import org.jvs.ctl.ControlSocketPath;
import org.jvs.ctl.IpvsadmParser;
import org.jvs.ctl.RestoreScript;
import org.jvs.dashboard.Dashboard;
import org.jvs.http.HttpEndpoint;
import org.jvs.http.HttpSettings;
import org.jvs.linux.AfPacketPort;
import org.jvs.linux.FanoutSteering;
import org.jvs.linux.KernelFastPath;
import org.jvs.linux.KernelGuard;
import org.jvs.linux.LinuxHostNetwork;
import org.jvs.linux.PortPoller;
import org.jvs.linux.SystemdNotify;
import org.jvs.log.Log;
import org.jvs.net.FastPath;
import org.jvs.net.KernelBypass;
import org.jvs.net.NetInterface;
import org.jvs.net.PacketPort;
import org.jvs.keepalived.config.ConfigCheck;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.LvsSyncDaemonConfig;
import org.jvs.metrics.MetricsRoute;
import org.jvs.rest.RestApi;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.service.Ipv4;

/**
 * {@code ./jvs director}: wires the Linux drivers to the core and runs the director of this network namespace in
 * the foreground until SIGTERM/SIGINT. Attaches to every up, non-loopback interface unless {@code --interface}
 * names some.
 */
final class DirectorCommand {
    private static final int DEFAULT_CONNECTIONS = 1 << 18;
    private static final long NETWORK_REFRESH_MS = 500;
    /** Each worker's inbox of frames handed over by the others: 8 reassembled 64 KiB datagrams and more. */
    private static final int HANDOFF_INBOX_BYTES = 4 << 20;
    private static final int MAX_WORKERS = 64;

    private DirectorCommand() {
    }

    static int run(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException bad) {
            System.err.println("jvs director: " + bad.getMessage());
            return 2;
        }
        if (options.configTest) {
            return ConfigCheck.run(options.configFile, System.out, System.err);
        }
        Log log = Log.toStderr(options.logLevel, "director");
        try {
            return runDirector(options, log);
        } catch (IOException | ControlException failure) {
            log.error(failure.getMessage());
            return 1;
        }
    }

    private static int runDirector(Options options, Log log) throws IOException, ControlException {
        CountDownLatch cleanedUp = new CountDownLatch(1);
        try {
            return runDirector(options, log, cleanedUp);
        } finally {
            cleanedUp.countDown();
        }
    }

    private static int runDirector(Options options, Log log, CountDownLatch cleanedUp)
            throws IOException, ControlException {
        SystemdNotify notify = SystemdNotify.fromEnvironment();
        LinuxHostNetwork network = LinuxHostNetwork.open();
        List<NetInterface> attached = chooseInterfaces(network, options.interfaces);
        int workerCount = options.workers;
        List<AfPacketPort> ports = new ArrayList<>();
        List<List<AfPacketPort>> portsByWorker = new ArrayList<>();
        KernelGuard guard = null;
        KernelFastPath fastPath = null;
        ControlServer server = null;
        KeepalivedSetup keepalived = null;
        VrrpService vrrp = null;
        SyncDaemons syncDaemons = null;
        HttpEndpoint http = null;
        Dashboard dashboard = null;
        try {
            if (options.http.enabled()) {
                // first, so that a taken port refuses the start before anything is attached
                http = HttpEndpoint.bind(options.http);
            }
            for (int worker = 0; worker < workerCount; worker++) {
                List<AfPacketPort> own = new ArrayList<>();
                for (NetInterface netInterface : attached) {
                    AfPacketPort port = AfPacketPort.open(netInterface.name(), workerCount);
                    ports.add(port);
                    own.add(port);
                    if (workerCount > 1) {
                        // joined in worker order: the steering program's n is worker n
                        port.joinFanoutGroup(netInterface.ifindex());
                    }
                }
                portsByWorker.add(own);
            }
            int[] ifindexes = attached.stream().mapToInt(NetInterface::ifindex).toArray();
            guard = KernelGuard.attach(ifindexes).warnings(log.component("guard")::warning);
            guard.hostAddresses(network.localAddresses());
            guard.hostAddresses6(network.localAddresses6());
            fastPath = fastPath(options.fastPath, ifindexes, ports, log);
            KernelBypass bypass = workerCount > 1 ? new SharedKernelBypass(guard) : guard;
            Handoff handoff = workerCount > 1 ? new Handoff(workerCount, HANDOFF_INBOX_BYTES) : null;
            IpvsadmParser parser = new IpvsadmParser(SchedulerRegistry.names());
            List<DataPlaneControl> controls = new ArrayList<>();
            List<DataPlane> dataPlanes = new ArrayList<>();
            DirectorConfig firstConfig = null;
            for (int worker = 0; worker < workerCount; worker++) {
                PacketPort[] own = portsByWorker.get(worker).toArray(new PacketPort[0]);
                Director director = new Director(network, new PortSink(own), bypass, options.connections,
                        options.fullNatLowestPort, options.fullNatHighestPort);
                director.fastPath(fastPath == null ? FastPath.NONE : fastPath.worker());
                DirectorConfig config = new DirectorConfig(director);
                if (handoff != null) {
                    config.joinWorkers(worker, handoff);
                }
                config.setSetting(DirectorConfig.EXPIRE_NODEST_CONN, options.expireNodestConn ? 1 : 0);
                config.setSetting(DirectorConfig.EXPIRE_QUIESCENT_TEMPLATE, options.expireQuiescentTemplate ? 1 : 0);
                firstConfig = firstConfig == null ? config : firstConfig;
                DataPlaneControl control = new DataPlaneControl(config);
                controls.add(control);
                PortPoller poller = new PortPoller(portsByWorker.get(worker));
                control.doorbell(poller);
                if (handoff != null) {
                    handoff.doorbell(worker, poller);
                }
                dataPlanes.add(new DataPlane(director, own, control, new PollingIdleStrategy(poller)));
            }
            Consumer<SteeringRules> steering = workerCount == 1 ? rules -> { }
                    : rules -> steer(portsByWorker.get(0), rules, log);
            steering.accept(firstConfig.steeringRules());
            DataPlaneWorkers control = new DataPlaneWorkers(controls, steering);
            server = new ControlServer(control, ControlSocketPath.forThisNetworkNamespace(), SchedulerRegistry.names())
                    .log(log.component("control"));
            syncDaemons = new SyncDaemons(control, log.component("sync"));
            server.syncDaemons(syncDaemons);
            KernelGuard attachedGuard = guard;
            KernelFastPath attachedFastPath = fastPath;
            CountersCommand.KernelDropSource kernelDrops = new CountersCommand.KernelDropSource() {
                @Override
                public long drops() throws IOException {
                    return attachedGuard.drops();
                }

                @Override
                public long fastPathDrops() throws IOException {
                    return attachedFastPath == null ? 0 : attachedFastPath.drops();
                }
            };
            server.register(CountersCommand.NAME, new CountersCommand(control::counters,
                    () -> control.portCounters(portsByWorker), kernelDrops, syncDaemons::counterLines));
            server.register(ExplainCommand.NAME, new ExplainCommand(control::explain));
            server.register(TraceService.NAME, new TraceService(new TraceService.Taps() {
                @Override
                public List<org.jvs.core.TraceTap> start(java.util.function.IntFunction<org.jvs.core.TraceTap> taps)
                        throws ControlException {
                    return control.trace(taps);
                }

                @Override
                public void stop() throws ControlException {
                    control.stopTrace();
                }
            }, ifindex -> interfaceName(attached, ifindex)));
            if (options.configFile == null) {
                KeepalivedSetup.registerWithoutConfiguration(server);
            }
            server.start();
            DirectorMetricsSource metrics = new DirectorMetricsSource(() -> control.services(null), control::readings,
                    () -> control.portCounters(portsByWorker), attachedGuard::drops, syncDaemons);
            if (http != null) {
                http.route(MetricsRoute.PATH, MetricsRoute.of(metrics));
                new RestApi(control).register(http);
                dashboard = new Dashboard(metrics, InstantSource.system(),
                        log.component("dashboard").stream(Log.Level.WARNING)).routeOn(http);
            }

            List<Thread> threads = new ArrayList<>();
            for (int worker = 0; worker < workerCount; worker++) {
                Thread thread = new Thread(dataPlanes.get(worker), "jvs-data-plane-" + worker);
                threads.add(thread);
                thread.start();
            }
            // applied through the running data plane, as every later change will be: once on every worker
            try {
                if (options.restore != null) {
                    RestoreScript.apply(Files.readString(options.restore), options.restore.toString(), control,
                            parser);
                }
                if (options.configFile != null) {
                    keepalived = KeepalivedSetup.start(options.configFile, control, server, log.component("keepalived"),
                            notify);
                    KeepalivedConfig vrrpConfig = keepalived.startedWith();
                    LvsSyncDaemonConfig lvsSync = vrrpConfig.globalDefs().lvsSyncDaemon();
                    if (lvsSync != null) {
                        // both halves, whatever the instance's state: a JVS pair syncs both ways (see SyncDaemons)
                        syncDaemons.startDaemon(lvsSync.daemon(SyncDaemonSpec.Role.MASTER));
                        syncDaemons.startDaemon(lvsSync.daemon(SyncDaemonSpec.Role.BACKUP));
                    }
                    // running without vrrp_instance too, so that a reload may add some
                    SyncDaemons daemons = syncDaemons;
                    String syncInstance = lvsSync == null ? null : lvsSync.vrrpInstance();
                    vrrp = VrrpService.start(control, network, log.component("vrrp"), instance -> {
                        if (instance.equals(syncInstance)) {
                            daemons.requestResync();
                        }
                    });
                    keepalived.serve(vrrp, server);
                    metrics.vrrp(vrrp::states);
                    if (dashboard != null) {
                        dashboard.health(keepalived::health);
                    }
                }
                if (http != null) {
                    dashboard.start();
                    http.start();
                }
            } catch (IOException | ControlException | RuntimeException refused) {
                // the data-plane threads would otherwise keep the JVM alive after start-up failed
                stopAll(dataPlanes, threads);
                throw refused;
            }
            String started = "attached to " + describe(attached) + " with " + workerCount
                    + (workerCount == 1 ? " worker" : " workers") + "; control socket " + server.socketPath();
            log.info(started
                    + (http == null ? "" : "; dashboard on " + url(options.http, http) + Dashboard.PAGE
                    + ", metrics on " + url(options.http, http) + MetricsRoute.PATH
                    + ", REST API under " + RestApi.PREFIX));
            // after the data plane, the control socket and the configuration: systemd may start what depends on us
            notifySystemd(notify, log, true, started);
            VrrpService vrrpToStop = vrrp;
            awaitShutdown(dataPlanes, threads, network, guard, cleanedUp, vrrpToStop, notify, log);
            return 0;
        } finally {
            if (http != null) {
                http.close();
            }
            if (dashboard != null) {
                dashboard.close();
            }
            if (vrrp != null) {
                // a master's last advert, priority 0, so that its backup takes over after the skew time
                vrrp.close();
            }
            if (keepalived != null) {
                keepalived.close();
            }
            if (syncDaemons != null) {
                syncDaemons.close();
            }
            if (server != null) {
                server.close();
            }
            if (fastPath != null) {
                fastPath.close();
            }
            if (guard != null) {
                guard.close();
            }
            for (AfPacketPort port : ports) {
                port.close();
            }
            network.close();
        }
    }

    /**
     * The kernel fast path as {@code mode} asks, or null without one: when the kernel refuses it, one warning (the
     * director then forwards every packet) or, under --fast-path, an exception of one line that stops the start.
     */
    static KernelFastPath fastPath(FastPathMode mode, int[] ifindexes, List<AfPacketPort> ports, Log log)
            throws IOException {
        if (mode == FastPathMode.OFF) {
            return null;
        }
        try {
            return attachFastPath(ifindexes, ports);
        } catch (IOException refused) {
            if (mode == FastPathMode.REQUIRED) {
                throw new IOException("--fast-path: " + refused.getMessage(), refused);
            }
            log.warning("no kernel fast path, the director forwards every packet: " + refused.getMessage());
            return null;
        }
    }

    /**
     * The kernel fast path: its forwarder ahead of the guard on every interface, its socket filter on every receive
     * socket. A kernel that refuses it leaves nothing attached and an exception of one line saying what it refused
     * (the verifier's log is left out).
     */
    static KernelFastPath attachFastPath(int[] ifindexes, List<AfPacketPort> ports) throws IOException {
        KernelFastPath fastPath = null;
        try {
            fastPath = KernelFastPath.attach(ifindexes);
            for (AfPacketPort port : ports) {
                port.filter(fastPath);
            }
            return fastPath;
        } catch (IOException | RuntimeException refused) {
            if (fastPath != null) {
                fastPath.close();
            }
            String reason = String.valueOf(refused.getMessage()).lines().findFirst().orElse("");
            throw new IOException("the kernel refused the fast path: " + reason, refused);
        }
    }

    private static String interfaceName(List<NetInterface> attached, int ifindex) {
        for (NetInterface netInterface : attached) {
            if (netInterface.ifindex() == ifindex) {
                return netInterface.name();
            }
        }
        return "if" + ifindex;
    }

    /** READY=1 with {@code status}, or STOPPING=1; a refusal is logged, never fatal (systemd then times out). */
    private static void notifySystemd(SystemdNotify notify, Log log, boolean ready, String status) {
        try {
            if (ready) {
                notify.ready(status);
            } else {
                notify.stopping();
            }
        } catch (IOException refused) {
            log.warning("cannot notify systemd: " + refused.getMessage());
        }
    }

    /** Installs the steering program on the fanout group of each interface (through worker 0's member of it). */
    private static void steer(List<AfPacketPort> ports, SteeringRules rules, Log log) {
        byte[] program = FanoutSteering.assemble(rules);
        for (AfPacketPort port : ports) {
            try {
                port.steerFanoutGroup(program);
            } catch (IOException refused) {
                // the workers still place every packet by hand-off; only speed suffers
                log.warning("cannot update the steering program: " + refused.getMessage());
            }
        }
    }

    private static void stopAll(List<DataPlane> dataPlanes, List<Thread> threads) {
        for (DataPlane dataPlane : dataPlanes) {
            dataPlane.stop();
        }
        for (Thread thread : threads) {
            joinQuietly(thread);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<NetInterface> chooseInterfaces(LinuxHostNetwork network, List<String> names)
            throws IOException {
        if (names.isEmpty()) {
            List<NetInterface> all = network.attachableInterfaces();
            if (all.isEmpty()) {
                throw new IOException("no up, non-loopback interface in this network namespace to attach to");
            }
            return all;
        }
        List<NetInterface> chosen = new ArrayList<>();
        for (String name : names) {
            NetInterface netInterface = network.interfaceByName(name);
            if (netInterface == null) {
                throw new IOException("--interface " + name + ": no such interface in this network namespace");
            }
            chosen.add(netInterface);
        }
        return chosen;
    }

    /**
     * Runs until a signal; meanwhile keeps the host's addresses and routes current for the data plane, and the
     * guard's copy of the host's addresses (NAT replies to them are the director's own, e.g. health checks).
     */
    private static void awaitShutdown(List<DataPlane> dataPlanes, List<Thread> threads, LinuxHostNetwork network,
                                      KernelGuard guard, CountDownLatch cleanedUp, VrrpService vrrp,
                                      SystemdNotify notify, Log log) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            notifySystemd(notify, log, false, null);
            log.info("stopping");
            if (vrrp != null) {
                vrrp.directorStopping();
            }
            for (DataPlane dataPlane : dataPlanes) {
                dataPlane.stop();
            }
            try {
                for (Thread thread : threads) {
                    thread.join(2_000);
                }
                cleanedUp.await(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "jvs-shutdown"));
        Thread first = threads.get(0);
        while (first.isAlive()) {
            try {
                first.join(NETWORK_REFRESH_MS);
                if (network.pollChanges()) {
                    guard.hostAddresses(network.localAddresses());
                    guard.hostAddresses6(network.localAddresses6());
                }
            } catch (InterruptedException interrupted) {
                break;
            } catch (IOException refreshFailed) {
                log.warning("cannot refresh the host's network view: " + refreshFailed.getMessage());
            }
        }
    }

    /** The endpoint's base URL as the operator types it: {@code https://127.0.0.1:9947}. */
    private static String url(HttpSettings settings, HttpEndpoint endpoint) {
        return settings.scheme() + "://" + HttpSettings.text(endpoint.address());
    }

    private static String describe(List<NetInterface> interfaces) {
        StringBuilder text = new StringBuilder();
        for (NetInterface netInterface : interfaces) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(netInterface.name());
            if (netInterface.ipv4Address() != 0) {
                text.append(" (").append(Ipv4.toString(netInterface.ipv4Address())).append(')');
            }
        }
        return text.toString();
    }

    /**
     * Waits on the ports' fds and the worker's doorbell when a duty cycle found nothing, after a short spin that keeps
     * latency low when frames come in bursts. Frames, control calls and handed-over frames all wake the wait, so its
     * timeout only paces the timers (connection expiry, the fast path's sweep, the estimator), where 10 ms late is
     * nothing beside timeouts of seconds; a wait that timed out is followed by the next at once, without the spin.
     * An idle worker costs about 0.9 % of a core, where a 1 ms timeout with a spin after each cost it 3.5 % (measured
     * in the bench lab): CPU a small machine's kernel, forwarding with --fast-path, needs.
     */
    private static final class PollingIdleStrategy implements IdleStrategy {
        private static final int SPINS = 100;
        private static final int POLL_TIMEOUT_MS = 10;
        private final PortPoller poller;
        private int idleCycles;

        PollingIdleStrategy(PortPoller poller) {
            this.poller = poller;
        }

        @Override
        public void idle(int workCount) {
            if (workCount > 0) {
                idleCycles = 0;
            } else if (++idleCycles > SPINS) {
                if (poller.await(POLL_TIMEOUT_MS) == 0) {
                    idleCycles = SPINS;
                }
            } else {
                Thread.onSpinWait();
            }
        }

        @Override
        public void idle() {
            idle(0);
        }

        @Override
        public void reset() {
            idleCycles = 0;
        }
    }

    /** Whether the kernel forwards established connections: by default when it can. */
    enum FastPathMode { WHEN_AVAILABLE, REQUIRED, OFF }

    /**
     * {@code --expire-nodest-conn} and {@code --expire-quiescent-template} set IPVS's sysctls of those names to 1;
     * {@code --fullnat-ports LOW-HIGH} the source ports full NAT allocates on local addresses.
     * {@code -f FILE} (keepalived's -f/--use-file) is a keepalived configuration; {@code --config-test} (its -t)
     * only checks it. {@code --http ADDR:PORT|off} moves the HTTP endpoint (/metrics) from 127.0.0.1:9947 or turns it
     * off; {@code --http-token-file FILE} holds the bearer token it asks for (needed off loopback);
     * {@code --http-tls-cert FILE --http-tls-key FILE} make it HTTPS.
     * {@code --log-level error|warning|info|debug} (info by default) is the least severe level logged.
     * The kernel forwards established connections ({@link KernelFastPath}) unless {@code --no-fast-path}; a kernel
     * that refuses it leaves the director forwarding every packet, with a warning, unless {@code --fast-path} asked
     * for it (then the start stops).
     */
    record Options(List<String> interfaces, Path restore, int connections, boolean expireNodestConn,
                   boolean expireQuiescentTemplate, int fullNatLowestPort, int fullNatHighestPort, Path configFile,
                   boolean configTest, int workers, HttpSettings http, Log.Level logLevel, FastPathMode fastPath) {
        static Options parse(String[] args) {
            List<String> interfaces = new ArrayList<>();
            Path restore = null;
            Path configFile = null;
            boolean configTest = false;
            int connections = DEFAULT_CONNECTIONS;
            boolean expireNodestConn = false;
            boolean expireQuiescentTemplate = false;
            int[] fullNatPorts = {LocalPorts.DEFAULT_LOWEST, LocalPorts.DEFAULT_HIGHEST};
            int workers = Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors());
            String http = null;
            Path httpTokenFile = null;
            Path httpTlsCert = null;
            Path httpTlsKey = null;
            Log.Level logLevel = Log.Level.INFO;
            FastPathMode fastPath = FastPathMode.WHEN_AVAILABLE;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--interface", "-I" -> interfaces.add(value(args, ++i, option));
                    case "--restore" -> {
                        restore = Path.of(value(args, ++i, option));
                        if (!Files.isReadable(restore)) {
                            throw new IllegalArgumentException("--restore " + restore + ": no such readable file");
                        }
                    }
                    case "--connections" -> {
                        String text = value(args, ++i, option);
                        try {
                            connections = Integer.parseInt(text);
                        } catch (NumberFormatException notNumber) {
                            connections = -1;
                        }
                        if (connections < 16) {
                            throw new IllegalArgumentException("--connections " + text + ": expected a number >= 16");
                        }
                    }
                    case "-f", "--use-file" -> configFile = Path.of(value(args, ++i, option));
                    case "--config-test", "-t" -> configTest = true;
                    case "--expire-nodest-conn" -> expireNodestConn = true;
                    case "--expire-quiescent-template" -> expireQuiescentTemplate = true;
                    case "--fullnat-ports" -> fullNatPorts = portRange(value(args, ++i, option));
                    case "--workers" -> workers = workers(value(args, ++i, option));
                    case "--http" -> http = value(args, ++i, option);
                    case "--http-token-file" -> httpTokenFile = Path.of(value(args, ++i, option));
                    case "--http-tls-cert" -> httpTlsCert = Path.of(value(args, ++i, option));
                    case "--http-tls-key" -> httpTlsKey = Path.of(value(args, ++i, option));
                    case "--log-level" -> logLevel = Log.Level.parse(value(args, ++i, option));
                    case "--fast-path" -> fastPath = FastPathMode.REQUIRED;
                    case "--no-fast-path" -> fastPath = FastPathMode.OFF;
                    default -> throw new IllegalArgumentException("unknown option '" + option
                            + "' (expected -f FILE, --config-test, --interface IFACE, --restore FILE, --connections N,"
                            + " --expire-nodest-conn, --expire-quiescent-template, --fullnat-ports LOW-HIGH"
                            + ", --workers N, --http ADDR:PORT|off, --http-token-file FILE, --http-tls-cert FILE"
                            + ", --http-tls-key FILE, --fast-path, --no-fast-path"
                            + " or --log-level error|warning|info|debug)");
                }
            }
            if (configFile != null && restore != null) {
                throw new IllegalArgumentException("-f and --restore cannot be used together (expected one of them)");
            }
            if (configTest && configFile == null) {
                throw new IllegalArgumentException("--config-test needs -f FILE");
            }
            // the token, certificate and key files are read and checked here, as --restore's: a start-up they would
            // refuse does not begin
            HttpSettings httpSettings = configTest ? HttpSettings.off()
                    : HttpSettings.parse(http, httpTokenFile, httpTlsCert, httpTlsKey);
            return new Options(interfaces, restore, connections, expireNodestConn, expireQuiescentTemplate,
                    fullNatPorts[0], fullNatPorts[1], configFile, configTest, workers, httpSettings, logLevel,
                    fastPath);
        }

        private static int workers(String text) {
            int workers;
            try {
                workers = Integer.parseInt(text);
            } catch (NumberFormatException notNumber) {
                workers = -1;
            }
            if (workers < 1 || workers > MAX_WORKERS) {
                throw new IllegalArgumentException("--workers " + text + ": expected a number from 1 to " + MAX_WORKERS);
            }
            return workers;
        }

        /** LOW-HIGH, both ends included, 1 <= LOW <= HIGH <= 65535. */
        private static int[] portRange(String text) {
            int dash = text.indexOf('-');
            int low = dash > 0 ? port(text.substring(0, dash)) : -1;
            int high = dash > 0 ? port(text.substring(dash + 1)) : -1;
            if (low < 1 || high < low) {
                throw new IllegalArgumentException("--fullnat-ports " + text
                        + ": expected LOW-HIGH with 1 <= LOW <= HIGH <= 65535, e.g. 1024-32767");
            }
            return new int[] {low, high};
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                return port <= 0xFFFF ? port : -1;
            } catch (NumberFormatException notNumber) {
                return -1;
            }
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }
}
