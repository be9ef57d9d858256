package org.jvs.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real server lines of {@code jvsadm -L -n}, keyed by RIP:port. */
final class IpvsListing {
    private static final Pattern REAL_SERVER = Pattern.compile(
            "(?m)^\\s+->\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    /** One real server line: forwarding method, weight and connection counts. */
    record Entry(String method, int weight, int activeConns, int inactiveConns) {
    }

    private IpvsListing() {
    }

    static Map<String, Entry> realServers(String listing) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Matcher line = REAL_SERVER.matcher(listing);
        while (line.find()) {
            entries.put(line.group(1), new Entry(line.group(2), Integer.parseInt(line.group(3)),
                    Integer.parseInt(line.group(4)), Integer.parseInt(line.group(5))));
        }
        return entries;
    }
}
