package org.jvs.app;

import java.util.Arrays;

/** ./jvs: the director daemon and its companions, one subcommand each. */
public final class Jvs {
    private static final String USAGE = """
            Usage: jvs COMMAND [OPTIONS]
              director [-f FILE | --restore FILE] [--interface IFACE]... [--connections N]
                       [--expire-nodest-conn] [--expire-quiescent-template] [--fullnat-ports LOW-HIGH]
                       [--workers N] [--http ADDR:PORT|off] [--http-token-file FILE]
                       [--http-tls-cert FILE --http-tls-key FILE]
                       [--log-level error|warning|info|debug] [--fast-path | --no-fast-path]
                                     run the director of this network namespace in the foreground;
                                     -f FILE: a keepalived.conf (virtual servers, health checks),
                                     re-read on SIGHUP; --restore FILE: an ipvsadm-save script;
                                     --fullnat-ports: source ports of full NAT (default 1024-32767);
                                     --http: where GET /metrics is served (default 127.0.0.1:9947);
                                     --http-token-file: its bearer token (needed off loopback);
                                     --http-tls-cert/--http-tls-key: PEM chain and PKCS#8 key
                                     to serve it over HTTPS;
                                     --log-level: least severe level logged (default info);
                                     the kernel forwards established connections when it can;
                                     --fast-path: stop if it cannot; --no-fast-path: never
              director -f FILE --config-test
                                     check a keepalived.conf and exit 0 (usable) or 1, starting nothing
              reload                 have the running director re-read its -f FILE, changing only what differs
              status                 every real server of the running director: its checkers, last result
                                     and since when, and each virtual server's quorum and sorry server
              counters               the running director's non-zero data-plane counters, one "name value"
                                     a line: what it forwarded and why it dropped (e.g.
                                     drop_local_ports_exhausted: no full-NAT source port was free)
              explain -t|-u VIP:PORT --client ADDR[:PORT]
                                     what the director did with that client's connection, or would do with a
                                     new one: service, scheduler and why, persistence, rewrites, PROXY, timeout
              trace -t|-u VIP:PORT [--client ADDR] [-w FILE] [-c COUNT] [--seconds N]
                                     the frames of that service's connections, as received and as sent, on
                                     every attached interface: a line each, or a pcap file with -w
              realserver --vip VIP --mode dr|tun [--tun-type ipip|gue|gre] [--tun-port PORT] [--dev IFACE]
                                     configure this host as a real server (tun: decapsulate IPIP, GUE to
                                     --tun-port or GRE until stopped)
              demo                   build a lab of namespaces and show NAT, full NAT, TUN and DR at work, hop by hop
              help                   this text
            Manage the director with ./jvsadm (ipvsadm's commands and output).""";

    private Jvs() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "director" -> DirectorCommand.run(rest);
            case "reload", "status", "counters" -> DirectorRequest.run(args[0], rest, System.out, System.err);
            case "explain" -> DirectorRequest.run(args[0], rest, true, System.out, System.err);
            case "trace" -> TraceCommand.run(rest, System.out, System.err);
            case "realserver" -> RealServerCommand.run(rest);
            case "demo" -> Demo.run(rest);
            case "help", "-h", "--help" -> {
                System.out.println(USAGE);
                yield 0;
            }
            default -> {
                System.err.println("jvs: unknown command '" + args[0] + "' (expected director, reload, status, counters, explain, trace, realserver, demo or help)");
                yield 2;
            }
        };
    }
}
