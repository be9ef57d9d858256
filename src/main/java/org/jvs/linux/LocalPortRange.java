package org.jvs.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's net.ipv4.ip_local_port_range: the ports it picks for the host's own outgoing connections. Full NAT
 * must allocate its source ports elsewhere, or a reply to one of the host's connections from a local address
 * could be taken for a full-NAT reply and dropped by the guard. Only read, never changed.
 */
record LocalPortRange(int lowest, int highest) {
    static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** When the sysctl cannot be read: overlaps nothing, so it never warns. */
    static final LocalPortRange UNKNOWN = new LocalPortRange(1, 0);

    /** The range of the calling thread's network namespace (/proc/sys/net follows the reading thread's). */
    static LocalPortRange ofThisNamespace() {
        try {
            return parse(Files.readString(SYSCTL));
        } catch (IOException | IllegalArgumentException unreadable) {
            return UNKNOWN;
        }
    }

    /** Parses the sysctl's text, two port numbers separated by white space, e.g. "32768\t60999\n". */
    static LocalPortRange parse(String text) {
        String[] fields = text.strip().split("\\s+");
        if (fields.length != 2) {
            throw new IllegalArgumentException("ip_local_port_range '" + text.strip() + "' is not two ports");
        }
        try {
            return new LocalPortRange(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]));
        } catch (NumberFormatException notNumber) {
            throw new IllegalArgumentException("ip_local_port_range '" + text.strip() + "' is not two ports");
        }
    }

    /** One warning line when [lowest, highest] shares ports with this range, else null. */
    String overlapWarning(int fullNatLowest, int fullNatHighest) {
        if (fullNatHighest < lowest || fullNatLowest > highest || lowest > highest) {
            return null;
        }
        return "jvs: warning: full-NAT ports " + fullNatLowest + "-" + fullNatHighest
                + " overlap net.ipv4.ip_local_port_range " + lowest + "-" + highest
                + ": replies to the host's own connections from a local address on those ports will be dropped";
    }
}
