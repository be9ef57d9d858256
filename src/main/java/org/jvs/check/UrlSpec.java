package org.jvs.check;

import java.util.List;

/**
 * One {@code url} block of HTTP_GET/SSL_GET.
 *
 * @param path        path
 * @param digest      digest, lower-case hex MD5 of the body; "" for none
 * @param statusCodes status_code ranges; empty means keepalived's default, 200-299
 * @param virtualhost the url's own virtualhost; "" to use the checker's
 */
public record UrlSpec(String path, String digest, List<StatusRange> statusCodes, String virtualhost) {

    /** status_code 200, or 200-299: both ends included. */
    public record StatusRange(int from, int to) {
    }
}
