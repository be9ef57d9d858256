package org.jvs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jvs.api.IpAddress;
import org.jvs.linux.RealServerHelper;
import org.jvs.service.ForwardingMethod;
import org.jvs.service.TunnelType;

/**
 * {@code ./jvs realserver --vip VIP --mode dr|tun [--tun-type ipip|gue|gre] [--tun-port PORT] [--dev IFACE]}: prepares
 * this host as a real server. dr configures and exits; tun keeps decapsulating the director's IPIP (the default),
 * GUE (to UDP port --tun-port, as the director's -a ... --tun-type gue --tun-port) or GRE packets in the foreground
 * until SIGINT/SIGTERM, then prints its counts. An IPv6 VIP goes on lo as well (Linux never answers Neighbour
 * Discovery for lo's addresses, so no sysctl is needed), and its tun mode decapsulates IPv6 in IPv6 and IPv6 in IPv4
 * (protocol 41), --tun-type ipip's IPv6 form.
 */
public final class RealServerCommand {
    static final String USAGE = "usage: jvs realserver --vip VIP --mode dr|tun [--tun-type ipip|gue|gre] [--tun-port PORT] "
            + "[--dev IFACE]";
    private static final long STOP_WAIT_MS = 2000;

    /** What the command line asked for; device is null when --dev was not given, tunnelPort 0 but for GUE. */
    record Options(IpAddress vip, ForwardingMethod method, String device, TunnelType tunnelType, int tunnelPort) {

        Options(IpAddress vip, ForwardingMethod method, String device) {
            this(vip, method, device, TunnelType.IPIP, 0);
        }
    }

    private RealServerCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the process exit code (0 done, 1 failed, 2 bad arguments). */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("jvs realserver: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        RealServerHelper helper = new RealServerHelper(options.vip(), options.device(), out);
        try {
            helper.configure(options.method());
            if (options.method() == ForwardingMethod.ROUTE) {
                out.println("jvs realserver: dr mode ready for VIP " + options.vip());
                return 0;
            }
            runUntilSignalled(helper, options, out);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("jvs realserver: " + e.getMessage());
            return 1;
        }
    }

    /** The shutdown hook asks the loop to stop and holds the JVM until the loop has cleaned up and reported. */
    private static void runUntilSignalled(RealServerHelper helper, Options options, PrintStream out) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            helper.stop();
            try {
                finished.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jvs-realserver-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            helper.runTunnel(RealServerHelper.tunName(options.tunnelType()), options.tunnelType(), options.tunnelPort());
        } finally {
            out.println("jvs realserver: stopped; decapsulated " + helper.decapsulated() + ", dropped " + helper.dropped()
                    + ", TCP super-packets " + helper.superPackets()
                    + ", partial checksums " + helper.partialChecksums());
            String reasons = helper.droppedByReason();
            if (!reasons.isEmpty()) {
                out.println("jvs realserver: malformed tunnel packets dropped: " + reasons);
            }
            out.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is what stopped us; it is running now and needs no removal
            }
        }
    }

    static Options parse(String[] args) {
        IpAddress vip = null;
        ForwardingMethod method = null;
        String device = null;
        TunnelType tunnelType = null;
        String tunnelPort = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option '" + option + "' (expected " + String.join(", ", OPTIONS)
                        + ")");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option '" + option + "' needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--vip" -> vip = IpAddress.parse(value);
                case "--mode" -> method = switch (value) {
                    case "dr" -> ForwardingMethod.ROUTE;
                    case "tun" -> ForwardingMethod.TUNNEL;
                    default -> throw new IllegalArgumentException("mode '" + value + "' is not supported (expected dr or tun)");
                };
                case "--tun-type" -> {
                    tunnelType = TunnelType.byName(value);
                    if (tunnelType == null) {
                        throw new IllegalArgumentException("tunnel type '" + value + "' is not known (expected ipip, gue or gre)");
                    }
                }
                case "--tun-port" -> tunnelPort = value;
                default -> device = checkedDevice(value);
            }
        }
        if (vip == null) {
            throw new IllegalArgumentException("missing --vip (expected --vip a.b.c.d or an IPv6 address)");
        }
        if (method == null) {
            throw new IllegalArgumentException("missing --mode (expected --mode dr or --mode tun)");
        }
        if (tunnelType != null && method != ForwardingMethod.TUNNEL) {
            throw new IllegalArgumentException("'--tun-type " + tunnelType.ipvsadmName() + "' is only for --mode tun");
        }
        TunnelType type = tunnelType == null ? TunnelType.IPIP : tunnelType;
        if (!vip.isIpv4() && type != TunnelType.IPIP) {
            throw new IllegalArgumentException("'--tun-type " + type.ipvsadmName() + "' is only for an IPv4 VIP (an IPv6 "
                    + "VIP's tunnel is IPv6 in IPv6 or in IPv4, --tun-type ipip)");
        }
        if (type != TunnelType.GUE) {
            if (tunnelPort != null) {
                throw new IllegalArgumentException("'--tun-port " + tunnelPort + "' is only for --tun-type gue");
            }
            return new Options(vip, method, device, type, 0);
        }
        if (tunnelPort == null) {
            throw new IllegalArgumentException("missing --tun-port for --tun-type gue (expected the port the director's "
                    + "--tun-port names, 1..65535)");
        }
        return new Options(vip, method, device, type, port(tunnelPort));
    }

    private static final List<String> OPTIONS = List.of("--vip", "--mode", "--tun-type", "--tun-port", "--dev");

    private static int port(String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'--tun-port " + text + "' is not a port (expected 1..65535)");
        }
        return port;
    }

    private static String checkedDevice(String name) {
        if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + name + "' is not an interface name (expected 1-15 characters, no '/' or space)");
        }
        return name;
    }
}
