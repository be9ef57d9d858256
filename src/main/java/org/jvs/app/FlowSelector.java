package org.jvs.app;

import java.util.ArrayList;
import java.util.List;

import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

/**
 * The flow {@code ./jvs explain} and {@code ./jvs trace} ask about: {@code -t|-u VIP:PORT} and
 * {@code --client ADDR[:PORT]} (address 0: any client; port -1: any port). Parsed from the words after the command;
 * what it does not know is left in {@link #rest()} for the command's own options.
 */
record FlowSelector(int protocol, int vip, int vport, int client, int clientPort, List<String> rest) {
    static final int ANY_PORT = -1;

    static FlowSelector parse(List<String> args, boolean clientRequired) {
        int protocol = 0;
        int vip = 0;
        int vport = 0;
        int client = 0;
        int clientPort = ANY_PORT;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            switch (word) {
                case "-t", "--tcp-service", "-u", "--udp-service" -> {
                    if (protocol != 0) {
                        throw new IllegalArgumentException("one service only (-t or -u, once)");
                    }
                    protocol = word.startsWith("-t") || word.equals("--tcp-service") ? Protocol.TCP : Protocol.UDP;
                    String value = value(args, ++i, word);
                    int colon = value.lastIndexOf(':');
                    if (colon < 0) {
                        throw new IllegalArgumentException(word + " " + value + ": expected VIP:PORT");
                    }
                    vip = Ipv4.parse(value.substring(0, colon));
                    vport = port(value.substring(colon + 1), word + " " + value);
                }
                case "--client", "-C" -> {
                    String value = value(args, ++i, word);
                    int colon = value.lastIndexOf(':');
                    client = Ipv4.parse(colon < 0 ? value : value.substring(0, colon));
                    clientPort = colon < 0 ? ANY_PORT : port(value.substring(colon + 1), word + " " + value);
                }
                default -> rest.add(word);
            }
        }
        if (protocol == 0) {
            throw new IllegalArgumentException("which service? expected -t VIP:PORT or -u VIP:PORT");
        }
        if (clientRequired && client == 0) {
            throw new IllegalArgumentException("which client? expected --client ADDR[:PORT]");
        }
        return new FlowSelector(protocol, vip, vport, client, clientPort, List.copyOf(rest));
    }

    /** The words that select this flow, for passing it on to the director. */
    List<String> words() {
        List<String> words = new ArrayList<>();
        words.add(protocol == Protocol.TCP ? "-t" : "-u");
        words.add(Ipv4.toString(vip) + ":" + vport);
        if (client != 0) {
            words.add("--client");
            words.add(Ipv4.toString(client) + (clientPort == ANY_PORT ? "" : ":" + clientPort));
        }
        return words;
    }

    private static int port(String text, String where) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 0xFFFF) {
                return port;
            }
        } catch (NumberFormatException notNumber) {
            // refused below
        }
        throw new IllegalArgumentException(where + ": '" + text + "' is not a port (expected 0-65535)");
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }
}
