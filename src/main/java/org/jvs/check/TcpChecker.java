package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;
import java.net.Socket;

/** TCP_CHECK: passes when a TCP connection opens within connect_timeout; closes it at once. */
final class TcpChecker implements Checker {
    private final TcpCheckSpec spec;

    TcpChecker(TcpCheckSpec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check(InetAddress address, int port) {
        try (Socket _ = Connections.connectTcp(spec.common(), address, port)) {
            return CheckResult.pass("connected");
        } catch (IOException e) {
            return CheckResult.fail(Connections.reason(e, spec.common()));
        }
    }
}
