package org.jvs.check;

import java.util.List;

/**
 * HTTP_GET, or SSL_GET when {@code tls}: every url must answer with an accepted status code and, when it has a
 * digest, a body whose MD5 matches.
 *
 * @param virtualhost the checker's virtualhost (Host header), "" for the connect address
 */
public record HttpGetSpec(CheckCommon common, boolean tls, String virtualhost, List<UrlSpec> urls)
        implements CheckSpec {
    @Override
    public String kind() {
        return tls ? "SSL_GET" : "HTTP_GET";
    }
}
