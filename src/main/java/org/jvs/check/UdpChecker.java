package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.HexFormat;

/**
 * UDP_CHECK: sends the payload on a connected socket, so the kernel reports an ICMP port unreachable as an
 * error on the next receive. Silence until connect_timeout passes, unless require_reply asks for an answer.
 */
final class UdpChecker implements Checker {
    private static final int MAX_DATAGRAM = 65536;
    /**
     * keepalived sends an empty datagram when there is no payload, but the JDK silently sends nothing for an
     * empty buffer (and then no ICMP error can come back): one zero byte stands in for it.
     */
    private static final byte[] NO_PAYLOAD = {0};

    private final UdpCheckSpec spec;
    private final byte[] payload;

    UdpChecker(UdpCheckSpec spec) {
        this.spec = spec;
        try {
            byte[] parsed = HexFormat.of().parseHex(spec.payloadHex());
            this.payload = parsed.length == 0 ? NO_PAYLOAD : parsed;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("UDP_CHECK payload '" + spec.payloadHex() + "' is not hex digits in pairs");
        }
    }

    @Override
    public CheckResult check(InetAddress address, int port) {
        CheckCommon common = spec.common();
        try (DatagramSocket socket = Connections.udp(common)) {
            socket.connect(Connections.remote(common, address, port));
            socket.setSoTimeout(Connections.timeoutMs(common));
            socket.send(new DatagramPacket(payload, payload.length));
            DatagramPacket reply = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
            try {
                socket.receive(reply);
            } catch (SocketTimeoutException e) {
                return spec.requireReply()
                        ? CheckResult.fail("no reply within " + Connections.text(common.connectTimeout()))
                        : CheckResult.pass("no error within " + Connections.text(common.connectTimeout()));
            }
            return judge(reply.getLength());
        } catch (IOException e) {
            return CheckResult.fail(Connections.reason(e, common));
        }
    }

    private CheckResult judge(int length) {
        if (spec.requireReply()) {
            if (length < spec.minReplyLength()) {
                return CheckResult.fail("reply of " + length + " bytes, expected at least " + spec.minReplyLength());
            }
            if (spec.maxReplyLength() > 0 && length > spec.maxReplyLength()) {
                return CheckResult.fail("reply of " + length + " bytes, expected at most " + spec.maxReplyLength());
            }
        }
        return CheckResult.pass("reply of " + length + " bytes");
    }
}
