package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * DNS_CHECK: one query over UDP; passes when the response has RCODE 0 and at least one answer of the type asked.
 * Like keepalived it waits past datagrams that are not the response to its query, until connect_timeout.
 */
final class DnsChecker implements Checker {
    private static final int MAX_DATAGRAM = 65536;

    private final DnsCheckSpec spec;
    private final int type;

    DnsChecker(DnsCheckSpec spec) {
        this.spec = spec;
        this.type = DnsMessage.typeCode(spec.type());
    }

    @Override
    public CheckResult check(InetAddress address, int port) {
        CheckCommon common = spec.common();
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] query = DnsMessage.query(id, type, spec.name());
        long endNs = System.nanoTime() + Connections.timeoutMs(common) * 1_000_000L;
        try (DatagramSocket socket = Connections.udp(common)) {
            socket.connect(Connections.remote(common, address, port));
            socket.send(new DatagramPacket(query, query.length));
            DatagramPacket reply = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
            while (true) {
                long remainingMs = (endNs - System.nanoTime()) / 1_000_000L;
                if (remainingMs <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) remainingMs);
                reply.setLength(MAX_DATAGRAM);
                socket.receive(reply);
                byte[] data = reply.getData();
                if (reply.getLength() >= DnsMessage.HEADER_LENGTH && DnsMessage.id(data) == id
                        && DnsMessage.isResponse(data)) {
                    return judge(data, reply.getLength());
                }
            }
        } catch (IOException e) {
            return CheckResult.fail(Connections.reason(e, common));
        }
    }

    private CheckResult judge(byte[] response, int length) {
        int rcode = DnsMessage.rcode(response);
        if (rcode != 0) {
            return CheckResult.fail("rcode " + DnsMessage.rcodeName(rcode) + " for " + spec.name());
        }
        int answers = DnsMessage.answersOfType(response, length, type);
        if (answers < 0) {
            return CheckResult.fail("truncated response for " + spec.name());
        }
        if (answers == 0) {
            return CheckResult.fail("no " + spec.type() + " answer for " + spec.name());
        }
        return CheckResult.pass(answers + " " + spec.type() + " answer" + (answers == 1 ? "" : "s") + " for " + spec.name());
    }
}
