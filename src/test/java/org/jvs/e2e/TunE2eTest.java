package org.jvs.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.jvs.e2e.LvsLab.VipPlacement;
import org.jvs.service.ForwardingMethod;

/** TUN (-i) with the VIP on the director's lo: real servers answer the client directly over the return segment. */
class TunE2eTest extends FullForwardingCases {
    private static final long UPLOAD_BYTES = 20L << 20;
    private static final Pattern RX_COUNTERS = Pattern.compile("RX:[^\\n]*\\n\\s*(\\d+)\\s+(\\d+)");

    @Override
    String labName() {
        return "tun";
    }

    @Override
    ForwardingMethod method() {
        return ForwardingMethod.TUNNEL;
    }

    @Override
    VipPlacement placement() {
        return VipPlacement.DIRECTOR_LO;
    }

    /**
     * The helper joins the segments of an upload into TCP super-packets on its TUN device: the data must still
     * arrive byte for byte, and the device must have taken fewer, larger packets than the wire carried.
     */
    @Test
    void shouldCarryAnUploadIntactThroughTcpSuperPackets() {
        addService("-t", LvsLab.ECHO_PORT, "rr", LvsLab.ECHO_PORT, 1, 1, 1);
        long[] before = tunReceived();
        CommandResult transfer = client.transfer(VIP, LvsLab.ECHO_PORT, UPLOAD_BYTES);
        long[] after = tunReceived();
        assertTrue(transfer.ok() && transfer.stdout().matches("(?sm).*^ok rs\\d " + UPLOAD_BYTES + "$.*"),
                "upload via TUN: " + transfer.describe() + " [" + transfer.stdout().strip() + "]; director log: "
                        + director.log());
        long bytes = after[0] - before[0];
        long packets = after[1] - before[1];
        assertTrue(bytes >= UPLOAD_BYTES, "the TUN devices took " + bytes + " bytes of a " + UPLOAD_BYTES + "-byte upload");
        assertTrue(bytes / packets > 3000, "the TUN devices took " + packets + " packets for " + bytes
                + " bytes: segments were not joined into super-packets");
    }

    /** RX bytes and packets of the helpers' TUN devices, summed over the real servers. */
    private long[] tunReceived() {
        long[] sums = new long[2];
        for (String rs : lvs.realServers) {
            String stats = lvs.lab.run(rs, "ip", "-s", "link", "show", "jvsipip0").stdout();
            Matcher rx = RX_COUNTERS.matcher(stats);
            assertTrue(rx.find(), "no RX counters for jvsipip0 in " + rs + ": " + stats);
            sums[0] += Long.parseLong(rx.group(1));
            sums[1] += Long.parseLong(rx.group(2));
        }
        return sums;
    }
}
