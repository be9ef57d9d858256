package org.jvs.keepalived.config;

import java.time.Duration;

/**
 * Checker settings a virtual_server or real_server block gives its checkers (keepalived's vs->retry, rs->warmup,
 * ...). Unset values are -1 or null so the next level down can tell "not given" from a value.
 *
 * @param delayLoop      always set: keepalived's default is 60 s at the virtual server
 * @param connectTimeout always set: keepalived's default is 5 s at the virtual server
 * @param virtualhost    HTTP Host for HTTP_GET/SSL_GET checkers without their own, "" for none
 */
record Inherited(Duration delayLoop, Duration connectTimeout, int retry, Duration delayBeforeRetry, Duration warmup,
                 String virtualhost) {

    static final Inherited KEEPALIVED_DEFAULTS =
            new Inherited(Duration.ofSeconds(60), Duration.ofSeconds(5), -1, null, null, "");

    Inherited withDelayLoop(Duration d) {
        return new Inherited(d, connectTimeout, retry, delayBeforeRetry, warmup, virtualhost);
    }

    Inherited withConnectTimeout(Duration d) {
        return new Inherited(delayLoop, d, retry, delayBeforeRetry, warmup, virtualhost);
    }

    Inherited withRetry(int r) {
        return new Inherited(delayLoop, connectTimeout, r, delayBeforeRetry, warmup, virtualhost);
    }

    Inherited withDelayBeforeRetry(Duration d) {
        return new Inherited(delayLoop, connectTimeout, retry, d, warmup, virtualhost);
    }

    Inherited withWarmup(Duration d) {
        return new Inherited(delayLoop, connectTimeout, retry, delayBeforeRetry, d, virtualhost);
    }

    Inherited withVirtualhost(String v) {
        return new Inherited(delayLoop, connectTimeout, retry, delayBeforeRetry, warmup, v);
    }

    /** Applies the inheritable keywords vs and rs share; false when {@code node} is not one of them. */
    static boolean applies(String keyword) {
        return switch (keyword) {
            case "delay_loop", "connect_timeout", "retry", "delay_before_retry", "warmup", "virtualhost" -> true;
            default -> false;
        };
    }

    Inherited apply(ConfigNode node) throws ConfigException {
        return switch (node.keyword()) {
            case "delay_loop" -> withDelayLoop(Values.duration(node, 1, 1));
            case "connect_timeout" -> withConnectTimeout(Values.duration(node, 1, 1));
            case "retry" -> withRetry(Values.integer(node, 1, 1, Integer.MAX_VALUE));
            case "delay_before_retry" -> withDelayBeforeRetry(Values.duration(node, 1, 0));
            case "warmup" -> withWarmup(Values.duration(node, 1, 0));
            case "virtualhost" -> withVirtualhost(Values.word(node, 1, "a host name"));
            default -> this;
        };
    }
}
