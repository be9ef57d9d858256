package org.jvs.check;

import java.net.InetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * SMTP_CHECK: keepalived's dialogue, a 220 greeting, HELO answered with 250, then QUIT (whose answer is read
 * but not judged). The whole dialogue ends by connect_timeout.
 */
final class SmtpChecker implements Checker {
    private static final int MAX_LINE = 1024;
    private static final int MAX_LINES = 100;

    private final SmtpCheckSpec spec;

    SmtpChecker(SmtpCheckSpec spec) {
        this.spec = spec;
    }

    @Override
    public CheckResult check(InetAddress address, int port) {
        CheckCommon common = spec.common();
        try (Socket socket = Connections.connectTcp(common, address, port)) {
            Deadline in = new Deadline(socket, Connections.timeoutMs(common));
            OutputStream out = socket.getOutputStream();
            int greeting = replyCode(in);
            if (greeting != 220) {
                return CheckResult.fail("greeting " + text(greeting) + ", expected 220");
            }
            out.write(("HELO " + spec.heloName() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int helo = replyCode(in);
            if (helo != 250) {
                return CheckResult.fail("HELO answered " + text(helo) + ", expected 250");
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            replyCode(in);
            return CheckResult.pass("HELO answered 250");
        } catch (IOException e) {
            return CheckResult.fail(Connections.reason(e, common));
        }
    }

    /** The code of a (possibly multi-line, "250-...") reply; -1 for no reply or one without a code. */
    private static int replyCode(Deadline in) throws IOException {
        for (int i = 0; i < MAX_LINES; i++) {
            String line = in.readLine(MAX_LINE);
            if (line == null || line.length() < 3) {
                return -1;
            }
            if (line.length() == 3 || line.charAt(3) != '-') {
                try {
                    return Integer.parseInt(line.substring(0, 3));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static String text(int code) {
        return code < 0 ? "nothing" : Integer.toString(code);
    }
}
