package org.jvs.check;

import java.time.Duration;

/** Test shorthand for checker settings: short timeouts, no overrides unless asked. */
final class Specs {
    static final Duration TIMEOUT = Duration.ofMillis(500);

    private Specs() {
    }

    /** "a.b.c.d" as the int the checkers take. */
    static int address(String dotted) {
        String[] parts = dotted.split("\\.");
        int address = 0;
        for (String part : parts) {
            address = address << 8 | Integer.parseInt(part);
        }
        return address;
    }

    static CheckCommon common() {
        return common(0, 0, 0, 0);
    }

    static CheckCommon common(int connectIp, int connectPort, int bindTo, int bindPort) {
        return new CheckCommon(connectIp, connectPort, bindTo, bindPort, TIMEOUT, 0, Duration.ofMillis(50),
                Duration.ZERO, Duration.ofMillis(100));
    }

    static CheckCommon withTimeout(CheckCommon c, Duration timeout) {
        return new CheckCommon(c.connectIp(), c.connectPort(), c.bindTo(), c.bindPort(), timeout, c.retry(),
                c.delayBeforeRetry(), c.warmup(), c.delayLoop());
    }
}
