package org.jvs.check;

/**
 * DNS_CHECK: a query over UDP; up when the answer has no error and at least one record of the type asked.
 *
 * @param type keepalived's type (A, NS, CNAME, SOA, MX, TXT, AAAA; default SOA)
 * @param name keepalived's name (default ".")
 */
public record DnsCheckSpec(CheckCommon common, String type, String name) implements CheckSpec {
    @Override
    public String kind() {
        return "DNS_CHECK";
    }
}
