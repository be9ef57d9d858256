package org.jvs.app;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.jvs.app.demo.SeenFrame;
import org.jvs.ctl.ControlClient;
import org.jvs.ctl.ControlServer;
import org.jvs.ctl.ControlSocketPath;
import org.jvs.ctl.Reply;
import org.jvs.packet.TcpHeader;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

/**
 * {@code ./jvs trace -t|-u VIP:PORT [--client ADDR] [-w FILE] [-c COUNT] [--seconds N]}: the frames of the service's
 * connections on every interface the director is attached to, as received (before rewrite) and as sent (after),
 * recorded inside the director by {@link TraceService} and fetched over the control socket every
 * {@link #POLL_MS} ms. Without {@code -w} a line per frame; with it a classic pcap file ({@link PcapWriter}).
 * Stops after COUNT frames (default {@value #DEFAULT_COUNT}), N seconds (default {@value #DEFAULT_SECONDS}) or
 * Ctrl-C, whichever comes first, and removes the director's taps.
 */
final class TraceCommand {
    static final int DEFAULT_COUNT = 1000;
    static final int DEFAULT_SECONDS = 30;
    private static final long POLL_MS = 100;
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS")
            .withZone(ZoneId.systemDefault());

    private TraceCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path socket;
        try {
            socket = ControlSocketPath.forThisNetworkNamespace();
        } catch (IOException e) {
            err.println("jvs trace: " + e.getMessage());
            return EXIT_FAILED;
        }
        return run(List.of(args), socket, out, err);
    }

    static int run(List<String> args, Path socket, PrintStream out, PrintStream err) {
        FlowSelector flow;
        Path file = null;
        int count = DEFAULT_COUNT;
        int seconds = DEFAULT_SECONDS;
        try {
            flow = FlowSelector.parse(args, false);
            List<String> rest = flow.rest();
            for (int i = 0; i < rest.size(); i++) {
                String option = rest.get(i);
                String value = i + 1 < rest.size() ? rest.get(++i) : null;
                if (value == null) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                switch (option) {
                    case "-w" -> file = Path.of(value);
                    case "-c" -> count = positive(option, value);
                    case "--seconds" -> seconds = positive(option, value);
                    default -> throw new IllegalArgumentException("unknown option '" + option
                            + "' (expected -w FILE, -c COUNT or --seconds N)");
                }
            }
        } catch (IllegalArgumentException bad) {
            err.println("jvs trace: " + bad.getMessage());
            return EXIT_USAGE;
        }
        ControlClient director = new ControlClient(socket);
        List<String> start = new ArrayList<>(List.of("start"));
        start.addAll(flow.words());
        start.addAll(List.of("--seconds", Integer.toString(seconds)));
        Reply started;
        try {
            started = director.send(ControlServer.namedRequest(TraceService.NAME, start), null);
        } catch (IOException e) {
            err.println("jvs trace: no JVS director in this network namespace (" + socket + ")");
            return EXIT_FAILED;
        }
        if (started.exitCode() != 0) {
            err.print(started.stderr());
            return started.exitCode();
        }
        String id = started.stdout().strip();
        Thread stopper = new Thread(() -> stop(director, id), "jvs-trace-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        err.println("jvs trace: tracing " + describe(flow) + (file == null ? "" : " into " + file) + " for up to "
                + count + " frames or " + seconds + " s (Ctrl-C stops)");
        int seen = 0;
        long lost = 0;
        long deadlineNs = System.nanoTime() + seconds * 1_000_000_000L;
        try (PcapWriter pcap = file == null ? null
                : new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)), TraceService.SNAP_LENGTH)) {
            while (seen < count && System.nanoTime() < deadlineNs) {
                Reply polled = director.send(ControlServer.namedRequest(TraceService.NAME, List.of("poll", id)), null);
                if (polled.exitCode() != 0) {
                    err.print(polled.stderr());
                    return EXIT_FAILED;
                }
                int before = seen;
                for (String line : polled.stdout().split("\n")) {
                    if (line.startsWith("L ")) {
                        lost = Long.parseLong(line.substring(2).strip());
                    } else if (line.startsWith("F ") && seen < count) {
                        String[] f = line.split(" ", 6);
                        long epochNs = Long.parseLong(f[1]);
                        byte[] bytes = HexFormat.of().parseHex(f[5]);
                        if (pcap != null) {
                            pcap.write(epochNs, bytes, Integer.parseInt(f[4]));
                        } else {
                            out.println(summary(epochNs, f[2], f[3], bytes, Integer.parseInt(f[4])));
                        }
                        seen++;
                    }
                }
                if (seen == before) {
                    Thread.sleep(POLL_MS);
                }
            }
        } catch (IOException e) {
            err.println("jvs trace: " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop(director, id);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: it stopped the trace
            }
        }
        out.flush();
        err.println("jvs trace: " + seen + " frame(s)" + (file == null ? "" : " written to " + file)
                + (lost == 0 ? "" : "; " + lost + " lost (the director's trace ring was full)"));
        return 0;
    }

    private static void stop(ControlClient director, String id) {
        try {
            director.send(ControlServer.namedRequest(TraceService.NAME, List.of("stop", id)), null);
        } catch (IOException ignored) {
            // the director is gone, and its taps with it
        }
    }

    /** {@code 12:00:01.123456 eth0 in  TCP 198.51.100.2:41234 -> 203.0.113.10:80 SYN, 74 bytes}. */
    static String summary(long epochNs, String interfaceName, String direction, byte[] bytes, int length) {
        MemorySegment frame = MemorySegment.ofArray(bytes);
        SeenFrame seen = SeenFrame.decode(frame, bytes.length);
        StringBuilder line = new StringBuilder(TIME.format(Instant.ofEpochSecond(0, epochNs))).append(' ')
                .append(interfaceName).append(' ').append(direction.equals("in") ? "in " : "out").append("  ");
        if (seen == null) {
            line.append("not IPv4");
        }
        for (SeenFrame packet = seen; packet != null; packet = packet.inner()) {
            line.append(packet == seen ? "" : " inside ").append(what(packet)).append(' ')
                    .append(endpoint(packet.source(), packet.sourcePort(), packet.protocol())).append(" -> ")
                    .append(endpoint(packet.destination(), packet.destinationPort(), packet.protocol()));
            if (packet.protocol() == Protocol.TCP) {
                line.append(' ').append(flags(packet.tcpFlags()));
            }
        }
        return line.append(", ").append(length).append(" bytes").toString();
    }

    private static String what(SeenFrame packet) {
        return switch (packet.protocol()) {
            case Protocol.TCP -> "TCP";
            case Protocol.UDP -> "UDP";
            case Protocol.ICMP -> "ICMP";
            case Protocol.IPIP -> "IPIP";
            default -> "IP protocol " + packet.protocol();
        };
    }

    private static String endpoint(int address, int port, int protocol) {
        return protocol == Protocol.TCP || protocol == Protocol.UDP ? Ipv4.toString(address) + ":" + port
                : Ipv4.toString(address);
    }

    private static String flags(int flags) {
        int[] bits = {TcpHeader.SYN, TcpHeader.FIN, TcpHeader.RST, TcpHeader.PSH, TcpHeader.ACK};
        String[] names = {"SYN", "FIN", "RST", "PSH", "ACK"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                text.append(text.isEmpty() ? "" : "-").append(names[i]);
            }
        }
        return text.isEmpty() ? "(no flags)" : text.toString();
    }

    private static String describe(FlowSelector flow) {
        return Protocol.name(flow.protocol()) + " " + Ipv4.toString(flow.vip()) + ":" + flow.vport()
                + (flow.client() == 0 ? "" : " from " + Ipv4.toString(flow.client()));
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException notNumber) {
            // refused below
        }
        throw new IllegalArgumentException(option + " " + value + ": expected a positive number");
    }
}
