package org.jvs.linux;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * rtnetlink dumps captured from a real kernel (namespace with lo, veth jvst-c1 = ifindex 3 / jvst-c2 = 2,
 * 198.51.100.1/24 + secondary .9, default via .254, 203.0.113.0/24 via .253 mtu 1300 metric 50,
 * 198.18.0.0/15 multipath via .250/.251, neighbours .7 permanent, .8 stale, .6 incomplete), one datagram per
 * hex line under src/test/resources/linux/.
 */
final class CapturedDumps extends LinuxHostNetwork.Collector {
    /** decode() result of each datagram, in order, per file. */
    final List<Integer> results = new ArrayList<>();

    static CapturedDumps decodeAll() throws IOException {
        CapturedDumps dumps = new CapturedDumps();
        for (String name : List.of("links", "addresses", "routes", "neighbours")) {
            for (byte[] datagram : datagrams("rtnetlink-" + name + ".hex")) {
                dumps.results.add(Rtnetlink.decode(MemorySegment.ofArray(datagram), datagram.length, dumps));
            }
        }
        return dumps;
    }

    static List<byte[]> datagrams(String resource) throws IOException {
        try (InputStream in = CapturedDumps.class.getResourceAsStream("/linux/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource /linux/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(line -> !line.isBlank())
                    .map(HexFormat.of()::parseHex)
                    .toList();
        }
    }
}
