package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.jvs.e2e.LvsLab.ReturnPath;
import org.jvs.e2e.LvsLab.VipPlacement;

/**
 * TUN over GUE and GRE (ipvsadm 1.31's --tun-type), one lab each ("tungue", "tungre"): the director encapsulates as
 * each real server's tunnel options say, and the real servers, whose kernel has no fou or gre driver, decapsulate
 * with {@code ./jvs realserver --mode tun --tun-type ...}. GUE runs with remote checksum offload, so the clients'
 * partial checksums are completed by the real servers; GRE with its checksum. Each cell transfers 1 KB and 10 MiB
 * byte for byte both ways and answers UDP requests round robin.
 */
@Tag("netns")
class TunnelTypesE2eTest {
    private static final String VIP = LvsLab.VIP;
    private static final long[] TRANSFERS = {1_000, 10L << 20};
    private static final Pattern RX_PACKETS = Pattern.compile("RX:[^\\n]*\\n\\s*\\d+\\s+(\\d+)");

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "tungue, gue, --tun-type gue --tun-port 6080 --tun-remcsum, gue:6080:r+c",
        "tungre, gre, --tun-type gre --tun-csum, gre:+c",
    })
    void shouldCarryTcpIntactBothWaysAndAnswerUdpThroughTheTunnel(String labName, String type, String tunnelOptions,
                                                                   String tunnelInfo) {
        try (LvsLab lvs = LvsLab.build(labName, LvsLab.AddressFamily.IPV4, VipPlacement.DIRECTOR_LO, ReturnPath.DIRECT)) {
            lvs.startServers();
            List<Background> helpers = startRealServers(lvs, type);
            Director director = new Director(lvs.lab, lvs.director);
            director.start();
            Client client = new Client(lvs);
            addService(director, "-t", LvsLab.ECHO_PORT, tunnelOptions);
            addService(director, "-u", LvsLab.UDP_PORT, tunnelOptions);
            String listing = director.jvsadm("-L", "-n", "--tun-info").stdout();
            assertEquals(6, listing.split("Tunnel  " + Pattern.quote(tunnelInfo) + " ", -1).length - 1, listing);

            for (long bytes : TRANSFERS) {
                CommandResult transfer = client.transfer(VIP, LvsLab.ECHO_PORT, bytes);
                assertTrue(transfer.ok() && transfer.stdout().matches("(?sm).*^ok rs\\d " + bytes + "$.*"),
                        type + " transfer of " + bytes + " bytes: " + transfer.describe() + " ["
                                + transfer.stdout().strip() + "]; director log: " + director.log() + "; helpers: "
                                + tails(helpers));
            }
            List<String> answers = client.udpRequests(VIP, LvsLab.UDP_PORT, 6);
            Map<String, Integer> perServer = new HashMap<>();
            for (int i = 0; i < answers.size(); i++) {
                assertTrue(answers.get(i).matches("rs\\d req-" + (i + 1)), "UDP request " + (i + 1) + " over " + type
                        + " answered '" + answers.get(i) + "' (all: " + answers + ")");
                perServer.merge(answers.get(i).substring(0, 3), 1, Integer::sum);
            }
            assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), perServer, "rr over 6 UDP requests");
            for (String rs : lvs.realServers) {
                assertTrue(tunReceivedPackets(lvs, rs, type) > 0, "nothing came out of " + rs + "'s " + type + " tunnel");
            }
        }
    }

    /** {@code ./jvs realserver --mode tun --tun-type TYPE} on each real server, until the VIP is on its lo. */
    private static List<Background> startRealServers(LvsLab lvs, String type) {
        Launchers.ensureBuilt();
        List<Background> helpers = new ArrayList<>();
        for (int i = 0; i < lvs.realServers.size(); i++) {
            String rs = lvs.realServers.get(i);
            List<String> command = new ArrayList<>(List.of(Launchers.JVS, "realserver", "--vip", VIP, "--mode", "tun",
                    "--tun-type", type));
            if (type.equals("gue")) {
                command.addAll(List.of("--tun-port", "6080"));
            }
            Background helper = lvs.lab.spawn(rs, LvsLab.NAMES.get(i) + "-" + type, command.toArray(String[]::new));
            helpers.add(helper);
            for (int attempt = 0; !tunnelReady(lvs, rs, type); attempt++) {
                assertTrue(helper.alive() && attempt < 150, "./jvs realserver --tun-type " + type + " in " + rs
                        + " not ready: " + helper.tail(10));
                Background.sleep(200);
            }
        }
        return helpers;
    }

    private static boolean tunnelReady(LvsLab lvs, String rs, String type) {
        return lvs.lab.run(rs, "ip", "-o", "link", "show", "jvs" + type + "0").ok()
                && lvs.lab.run(rs, "ip", "-o", "addr", "show", "dev", "lo").stdout().contains(" " + VIP + "/");
    }

    private static void addService(Director director, String protocolFlag, int port, String tunnelOptions) {
        String virtual = VIP + ":" + port;
        director.jvsadm("-A", protocolFlag, virtual, "-s", "rr");
        for (String rip : LvsLab.RIPS) {
            List<String> command = new ArrayList<>(List.of("-a", protocolFlag, virtual, "-r", rip, "-i"));
            command.addAll(List.of(tunnelOptions.split(" ")));
            director.jvsadm(command.toArray(String[]::new));
        }
    }

    private static long tunReceivedPackets(LvsLab lvs, String rs, String type) {
        String stats = lvs.lab.run(rs, "ip", "-s", "link", "show", "jvs" + type + "0").stdout();
        Matcher rx = RX_PACKETS.matcher(stats);
        return rx.find() ? Long.parseLong(rx.group(1)) : 0;
    }

    private static String tails(List<Background> helpers) {
        StringBuilder tails = new StringBuilder();
        for (Background helper : helpers) {
            tails.append(helper.tail(5)).append(" | ");
        }
        return tails.toString();
    }
}
