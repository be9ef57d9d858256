package org.jvs.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jvs.e2e.LvsLab.AddressFamily;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;

/**
 * The NAT lab run the keepalived way: nginx on every real server (page = its name) and a sorry nginx on rs3:8081
 * (page "sorry"), and {@code ./jvs director -f keepalived.conf} with a configuration from the test resources.
 */
final class KeepalivedCluster implements AutoCloseable {
    /** The sorry server's address in the IPv4 lab (rs3's); {@link #sorryAddress()} in any lab. */
    static final String SORRY_ADDRESS = LvsLab.RIPS.get(2);
    static final int SORRY_PORT = 8081;
    private static final Duration POLL = Duration.ofMillis(100);

    final LvsLab lvs;
    final Director director;
    final Client client;
    final List<NginxServer> realServers = new ArrayList<>();
    final NginxServer sorry;
    final Path configFile;

    private KeepalivedCluster(LvsLab lvs, String configText) {
        this.lvs = lvs;
        for (int i = 0; i < lvs.realServers.size(); i++) {
            realServers.add(new NginxServer(lvs.lab, lvs.realServers.get(i), LvsLab.NAMES.get(i) + "-nginx",
                    lvs.rips.get(i), LvsLab.HTTP_PORT, LvsLab.NAMES.get(i)));
        }
        sorry = new NginxServer(lvs.lab, lvs.realServers.get(2), "sorry-nginx", lvs.rips.get(2), SORRY_PORT, "sorry");
        realServers.forEach(NginxServer::start);
        sorry.start();
        configFile = lvs.lab.workDir().resolve("keepalived.conf");
        writeConfig(configText);
        client = new Client(lvs);
        director = new Director(lvs.lab, lvs.director);
        director.start("-f", configFile.toString());
    }

    /** Builds the lab and starts everything; on failure tears down what was built. */
    static KeepalivedCluster start(String labName, String configText) {
        return start(labName, AddressFamily.IPV4, configText);
    }

    /** As {@link #start(String, String)} in a lab of {@code family} (the VIP and real servers of that family). */
    static KeepalivedCluster start(String labName, AddressFamily family, String configText) {
        LvsLab lvs = LvsLab.build(labName, family, VipPlacement.DIRECTOR_LO, ReturnPath.VIA_DIRECTOR);
        try {
            return new KeepalivedCluster(lvs, configText);
        } catch (RuntimeException e) {
            lvs.close();
            throw e;
        }
    }

    /** A configuration from src/test/resources/keepalived-e2e. */
    static String resource(String name) {
        try (InputStream in = KeepalivedCluster.class.getResourceAsStream("/keepalived-e2e/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /keepalived-e2e/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeConfig(String text) {
        try {
            Files.writeString(configFile, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code RIP:port -> entry} of the one virtual server, from {@code ./jvsadm -L -n}. */
    Map<String, IpvsListing.Entry> entries() {
        return IpvsListing.realServers(director.jvsadm("-L", "-n").stdout());
    }

    /**
     * Polls {@code -L -n} until {@code condition} holds; returns how long that took. Fails the test, quoting the
     * last listing and the director's log, when it still does not hold after {@code timeout}.
     */
    Duration awaitEntries(String what, Duration timeout, Predicate<Map<String, IpvsListing.Entry>> condition) {
        long startNs = System.nanoTime();
        long deadlineNs = startNs + timeout.toNanos();
        String listing = "";
        while (true) {
            listing = director.jvsadm("-L", "-n").stdout();
            if (condition.test(IpvsListing.realServers(listing))) {
                return Duration.ofNanos(System.nanoTime() - startNs);
            }
            if (System.nanoTime() > deadlineNs) {
                throw new AssertionError(what + ": not seen within " + timeout + "; last -L -n:\n" + listing
                        + "director log: " + director.log());
            }
            Background.sleep(POLL.toMillis());
        }
    }

    /** Runs {@code ./jvs ARGS} (reload, status) in the director namespace. */
    CommandResult jvs(String... args) {
        List<String> command = new ArrayList<>(List.of(Launchers.JVS));
        command.addAll(List.of(args));
        return lvs.lab.run(lvs.director, Duration.ofSeconds(30), command.toArray(String[]::new));
    }

    static String endpoint(int index) {
        return LvsLab.RIPS.get(index) + ":" + LvsLab.HTTP_PORT;
    }

    @Override
    public void close() {
        lvs.close();
    }
}
