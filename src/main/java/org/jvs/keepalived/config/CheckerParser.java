package org.jvs.keepalived.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import org.jvs.check.CheckCommon;
import org.jvs.check.CheckSpec;
import org.jvs.check.DnsCheckSpec;
import org.jvs.check.PingCheckSpec;
import org.jvs.check.SmtpCheckSpec;
import org.jvs.check.TcpCheckSpec;
import org.jvs.check.UdpCheckSpec;

/**
 * One checker block of a real_server (keepalived check/check_api.c and check_*.c), with keepalived 2.2's
 * defaults resolved as check_data.c does: a value the checker does not give comes from its real server, then its
 * virtual server, then the checker kind's own default.
 */
final class CheckerParser {
    private static final Set<String> DNS_TYPES =
            Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY");
    private static final String SMTP_DEFAULT_HELO = "smtpchecker.keepalived.org";

    private CheckerParser() {
    }

    /** The checker, or null when keepalived itself would drop it or JVS cannot run it (with a warning). */
    static CheckSpec parse(ConfigNode checker, Inherited inherited, Warnings warnings) throws ConfigException {
        String kind = checker.keyword();
        if (kind.equals("FILE_CHECK") || kind.equals("BFD_CHECK")) {
            warnings.notImplemented(checker.where(), kind);
            return null;
        }
        Set<String> known = Keywords.checker(kind);
        CommonBuilder common = new CommonBuilder();
        for (ConfigNode node : checker.children()) {
            Keywords.requireKnown(node, known, kind);
            if (!common.apply(node, warnings)) {
                return null;
            }
        }
        return switch (kind) {
            case "HTTP_GET", "SSL_GET" -> HttpCheckParser.parse(checker, common.resolve(kind, inherited),
                    inherited.virtualhost(), warnings);
            case "MISC_CHECK" -> MiscCheckParser.parse(checker, common.resolve(kind, inherited), warnings);
            case "TCP_CHECK" -> new TcpCheckSpec(common.resolve(kind, inherited));
            case "PING_CHECK" -> new PingCheckSpec(common.resolve(kind, inherited));
            case "UDP_CHECK" -> udp(checker, common.resolve(kind, inherited), warnings);
            case "DNS_CHECK" -> dns(checker, common.resolve(kind, inherited));
            case "SMTP_CHECK" -> smtp(checker, common.resolve(kind, inherited), warnings);
            default -> throw new IllegalStateException("checker table and parser disagree on " + kind);
        };
    }

    private static UdpCheckSpec udp(ConfigNode checker, CheckCommon common, Warnings warnings)
            throws ConfigException {
        String payload = "";
        boolean requireReply = false;
        int min = 0;
        int max = 0;
        for (ConfigNode node : checker.children()) {
            switch (node.keyword()) {
                case "payload" -> payload = hex(node);
                case "require_reply" -> {
                    requireReply = true;
                    if (node.size() > 1) {
                        warnings.once(node.where(), "require_reply data", "require_reply with expected data is not "
                                + "implemented by JVS; any reply is accepted");
                    }
                }
                case "min_reply_length" -> min = Values.integer(node, 1, 0, 65535);
                case "max_reply_length" -> max = Values.integer(node, 1, 0, 65535);
                default -> {
                }
            }
        }
        return new UdpCheckSpec(common, payload, requireReply, min, max);
    }

    /** keepalived joins the words and reads hex digits; blanks between byte pairs are allowed. */
    private static String hex(ConfigNode node) throws ConfigException {
        String expected = "hex bytes such as 0a1b2c";
        Values.word(node, 1, expected);
        String joined = String.join("", node.words().subList(1, node.size())).toLowerCase(Locale.ROOT);
        if (joined.length() % 2 != 0 || !joined.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw Values.bad(node, String.join(" ", node.words().subList(1, node.size())), expected);
        }
        return joined;
    }

    private static DnsCheckSpec dns(ConfigNode checker, CheckCommon common) throws ConfigException {
        String type = "SOA";
        String name = ".";
        for (ConfigNode node : checker.children()) {
            switch (node.keyword()) {
                case "type" -> {
                    String t = Values.word(node, 1, "a DNS type: " + String.join(", ", DNS_TYPES));
                    type = t.toUpperCase(Locale.ROOT);
                    if (!DNS_TYPES.contains(type)) {
                        throw Values.bad(node, t, "a DNS type: " + Keywords.expected(DNS_TYPES, type));
                    }
                }
                case "name" -> {
                    name = Values.word(node, 1, "a domain name");
                    if ((name.startsWith(".") && name.length() > 1) || name.contains("..")) {
                        throw Values.bad(node, name, "a domain name without empty labels");
                    }
                }
                default -> {
                }
            }
        }
        return new DnsCheckSpec(common, type, name);
    }

    private static SmtpCheckSpec smtp(ConfigNode checker, CheckCommon common, Warnings warnings)
            throws ConfigException {
        String helo = SMTP_DEFAULT_HELO;
        for (ConfigNode node : checker.children()) {
            if (node.keyword().equals("helo_name")) {
                helo = Values.word(node, 1, "a host name");
            } else if (node.keyword().equals("host")) {
                warnings.once(node.where(), "host", "SMTP_CHECK host blocks (deprecated in keepalived) are not "
                        + "implemented by JVS; the real server itself is checked");
            }
        }
        return new SmtpCheckSpec(common, helo);
    }

    /** The keywords every checker shares; unset values stay null until {@link #resolve}. */
    private static final class CommonBuilder {
        int connectIp;
        int connectPort;
        int bindTo;
        int bindPort;
        Duration connectTimeout;
        int retry = -1;
        Duration delayBeforeRetry;
        Duration warmup;
        Duration delayLoop;

        /** False when the checker cannot run under JVS (IPv6 addresses) and is skipped with a warning. */
        boolean apply(ConfigNode node, Warnings warnings) throws ConfigException {
            switch (node.keyword()) {
                case "connect_ip", "bindto" -> {
                    String a = Values.word(node, 1, "an IPv4 address");
                    if (Values.isIpv6(a)) {
                        warnings.each(node.where(), "IPv6", "IPv6 is not implemented by JVS; checker skipped");
                        return false;
                    }
                    if (node.keyword().equals("connect_ip")) {
                        connectIp = Values.ipv4(node, 1);
                    } else {
                        bindTo = Values.ipv4(node, 1);
                    }
                }
                case "connect_port" -> connectPort = Values.integer(node, 1, 1, 65535);
                case "bind_port" -> bindPort = Values.integer(node, 1, 1, 65535);
                case "connect_timeout" -> connectTimeout = Values.duration(node, 1, 1);
                case "retry", "nb_get_retry" -> retry = Values.integer(node, 1, 0, Integer.MAX_VALUE);
                case "delay_before_retry" -> delayBeforeRetry = Values.duration(node, 1, 0);
                case "warmup" -> warmup = Values.duration(node, 1, 0);
                case "delay_loop" -> delayLoop = Values.duration(node, 1, 1);
                case "bind_if", "fwmark", "alpha", "log_all_failures" ->
                        warnings.once(node.where(), "checker " + node.keyword(), node.keyword()
                                + " in a checker is not implemented by JVS; ignored");
                default -> {
                }
            }
            return true;
        }

        /** check_data.c: checker value, else real server's (which took the virtual server's), else default. */
        CheckCommon resolve(String kind, Inherited from) {
            Duration loop = delayLoop != null ? delayLoop : from.delayLoop();
            int defaultRetry = switch (kind) {
                case "DNS_CHECK" -> 3;
                case "MISC_CHECK" -> 0;
                default -> 1;
            };
            Duration defaultDelayBeforeRetry = switch (kind) {
                case "HTTP_GET", "SSL_GET" -> Duration.ofSeconds(3);
                case "DNS_CHECK" -> loop;
                default -> Duration.ofSeconds(1);
            };
            return new CheckCommon(connectIp, connectPort, bindTo, bindPort,
                    connectTimeout != null ? connectTimeout : from.connectTimeout(),
                    retry >= 0 ? retry : from.retry() >= 0 ? from.retry() : defaultRetry,
                    delayBeforeRetry != null ? delayBeforeRetry
                            : from.delayBeforeRetry() != null ? from.delayBeforeRetry() : defaultDelayBeforeRetry,
                    warmup != null ? warmup : from.warmup() != null ? from.warmup() : loop,
                    loop);
        }
    }
}
