package org.jvs.check;

import java.time.Duration;

/**
 * The keywords every keepalived checker shares. Addresses are IPv4 as ints; 0 (address or port) means "the real
 * server's own".
 *
 * @param connectIp        connect_ip, 0 for the real server's address
 * @param connectPort      connect_port, 0 for the real server's port
 * @param bindTo           bindto, 0 for the kernel's choice
 * @param bindPort         bind_port, 0 for the kernel's choice
 * @param connectTimeout   connect_timeout (keepalived: 5 s)
 * @param retry            retry (nb_get_retry for HTTP_GET/SSL_GET) as written: the retries after a failed check,
 *                         delay_before_retry apart, before the checker counts as failed (keepalived's defaults: 1,
 *                         DNS_CHECK 3, MISC_CHECK 0)
 * @param delayBeforeRetry delay_before_retry (keepalived: 1 s)
 * @param warmup           warmup: the first check waits a random time up to this (keepalived: delay_loop)
 * @param delayLoop        delay_loop of the checker, else of its virtual server (keepalived: 60 s)
 */
public record CheckCommon(int connectIp, int connectPort, int bindTo, int bindPort, Duration connectTimeout,
                          int retry, Duration delayBeforeRetry, Duration warmup, Duration delayLoop) {
}
