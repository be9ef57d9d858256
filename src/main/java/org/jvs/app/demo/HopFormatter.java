package org.jvs.app.demo;

import org.jvs.packet.TcpHeader;
import org.jvs.service.Ipv4;
import org.jvs.service.Protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints hops as aligned lines, one per frame: link, source -> destination, what it is. An IPIP packet gets a second
 * line for the packet inside; with MACs asked for (DR, where they are what changes), each frame gets a line with
 * its source and destination MAC under its addresses:
 * <pre>
 *   client side       198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN
 *   real-server side  192.0.2.1          -> 192.0.2.11          IPIP, inside:
 *                     198.51.100.2:41234 -> 203.0.113.10:80     TCP SYN
 * </pre>
 */
public final class HopFormatter {
    private static final String INDENT = "  ";
    private static final String ARROW = " -> ";
    private static final String GAP = "  ";
    private static final int[] FLAG_BITS = {TcpHeader.SYN, TcpHeader.FIN, TcpHeader.RST, TcpHeader.PSH, TcpHeader.ACK};
    private static final String[] FLAG_NAMES = {"SYN", "FIN", "RST", "PSH", "ACK"};

    private HopFormatter() {
    }

    /** The lines for {@code hops} in the given order, without trailing blanks. */
    public static List<String> format(List<Hop> hops, boolean withMacs) {
        List<String[]> rows = new ArrayList<>();
        for (Hop hop : hops) {
            String link = hop.link();
            for (SeenFrame packet = hop.frame(); packet != null; packet = packet.inner()) {
                rows.add(new String[] {link, endpoint(packet.source(), packet.sourcePort()),
                        endpoint(packet.destination(), packet.destinationPort()), what(packet)});
                link = "";
            }
            if (withMacs) {
                SeenFrame frame = hop.frame();
                rows.add(new String[] {"", mac(frame.sourceMac()), mac(frame.destinationMac()), "Ethernet"});
            }
        }
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            String line = INDENT + pad(row[0], widths[0]) + GAP + pad(row[1], widths[1]) + ARROW
                    + pad(row[2], widths[2]) + GAP + row[3];
            lines.add(line.stripTrailing());
        }
        return lines;
    }

    /** "TCP SYN-ACK", "UDP", "IPIP, inside:", "ICMP", or the protocol number. */
    static String what(SeenFrame packet) {
        return switch (packet.protocol()) {
            case Protocol.TCP -> "TCP " + tcpFlags(packet.tcpFlags());
            case Protocol.UDP -> "UDP";
            case Protocol.ICMP -> "ICMP";
            case Protocol.IPIP -> packet.inner() != null ? "IPIP, inside:" : "IPIP";
            default -> "IP protocol " + packet.protocol();
        };
    }

    private static String tcpFlags(int flags) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                names.append(names.isEmpty() ? "" : "-").append(FLAG_NAMES[i]);
            }
        }
        return names.isEmpty() ? "(no flags)" : names.toString();
    }

    private static String endpoint(int address, int port) {
        return port == 0 ? Ipv4.toString(address) : Ipv4.toString(address) + ":" + port;
    }

    static String mac(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            text.append(String.format("%02x", (mac >>> shift) & 0xFF)).append(shift > 0 ? ":" : "");
        }
        return text.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
