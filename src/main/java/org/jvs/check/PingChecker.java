package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;

/** PING_CHECK: passes when an ICMP echo request is answered within connect_timeout. */
final class PingChecker implements Checker {
    private final PingCheckSpec spec;
    private final IcmpEcho icmp;

    PingChecker(PingCheckSpec spec, IcmpEcho icmp) {
        this.spec = spec;
        this.icmp = icmp;
    }

    @Override
    public CheckResult check(InetAddress address, int port) throws InterruptedException {
        CheckCommon common = spec.common();
        try {
            return icmp.echo(Connections.connectAddress(common, address), common.bindTo(), Connections.timeoutMs(common))
                    ? CheckResult.pass("echo reply")
                    : CheckResult.fail("no echo reply within " + Connections.text(common.connectTimeout()));
        } catch (IOException e) {
            return CheckResult.fail(Connections.reason(e, common));
        }
    }
}
