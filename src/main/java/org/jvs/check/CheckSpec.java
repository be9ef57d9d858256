package org.jvs.check;

/**
 * One health checker of a real server, as a keepalived {@code real_server} block declares it. The parser
 * resolves keepalived's defaults, so every field is concrete.
 */
public sealed interface CheckSpec
        permits TcpCheckSpec, HttpGetSpec, MiscCheckSpec, UdpCheckSpec, PingCheckSpec, DnsCheckSpec, SmtpCheckSpec {

    CheckCommon common();

    /** keepalived's block name: TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, UDP_CHECK, PING_CHECK, DNS_CHECK, SMTP_CHECK. */
    String kind();
}
