package org.jvs.ctl;

import java.util.List;

/**
 * jvsadm -h and -v, modelled on ipvsadm's usage text, listing only what JVS implements. The daemon options give
 * the defaults ipvsadm really applies: its own text says syncid 255, yet it sends 0.
 */
final class HelpText {
    static final String VERSION = "jvsadm v0.1.0 (JVS - Java Virtual Server, ipvsadm v1.31 compatible, IPVS v1.2.1)\n";

    /** A text block filled in with replace(): string concatenation would cost jvsadm -h tens of ms of bootstrapping. */
    private static final String USAGE = """
        Usage:
          {program} -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-o]
                  [--sched-flags flags] [--proxy-protocol disable|v1|v2]
          {program} -D virtual-service
          {program} -C
          {program} -R
          {program} -S [-n]
          {program} -a|e virtual-service -r server-address [options]
          {program} -d virtual-service -r server-address
          {program} -L|l [virtual-service] [options]
          {program} -Z [virtual-service]
          {program} -P|Q virtual-service -z local-address [-F interface]
          {program} -G [virtual-service]
          {program} --set tcp tcpfin udp
          {program} --sysctl NAME=VALUE
          {program} --start-daemon {master|backup} [daemon-options]
          {program} --stop-daemon {master|backup}
          {program} -h

        Commands:
        Either long or short options are allowed.
          --add-service     -A        add virtual service with options
          --edit-service    -E        edit virtual service with options
          --delete-service  -D        delete virtual service
          --clear           -C        clear the whole table
          --restore         -R        restore rules from stdin
          --add-laddr       -P        add local address (full NAT)
          --del-laddr       -Q        del local address
          --get-laddr       -G        get local address
          --save            -S        save rules to stdout
          --add-server      -a        add real server with options
          --edit-server     -e        edit real server with options
          --delete-server   -d        delete real server
          --list            -L|-l     list the table
          --zero            -Z        zero counters in a service or all services
          --set tcp tcpfin udp        set connection timeout values
          --sysctl NAME=VALUE         (JVS) set expire_nodest_conn or expire_quiescent_template to 0 or 1,
                                      as IPVS's /proc/sys/net/ipv4/vs switches
          --start-daemon              start connection sync daemon
          --stop-daemon               stop connection sync daemon
          --help            -h        display this help message

        virtual-service:
          --tcp-service|-t  service-address   service-address is host[:port]
          --udp-service|-u  service-address   service-address is host[:port]

        Options:
          --scheduler    -s scheduler         one of {schedulers},
                                              the default scheduler is {default}.
          --persistent   -p [timeout]         persistent service
          --netmask      -M netmask           persistent granularity mask
          --real-server  -r server-address    server-address is host (and port)
          --gatewaying   -g                   gatewaying (direct routing) (default)
          --ipip         -i                   ipip encapsulation (tunneling)
          --masquerading -m                   masquerading (NAT)
          --fullnat      -b                   fullnat mode (full NAT: source becomes a local address)
          --tun-type      type                one of ipip|gue|gre,
                                              the default tunnel type is ipip.
          --tun-port      port                tunnel destination port
          --tun-nocsum                        tunnel encapsulation without checksum
          --tun-csum                          tunnel encapsulation with checksum
          --tun-remcsum                       tunnel encapsulation with remote checksum
          --weight       -w weight            capacity of real server
          --u-threshold  -x uthreshold        upper threshold of connections
          --l-threshold  -y lthreshold        lower threshold of connections
          --connection   -c                   output of current IPVS connections
          --timeout                           output of timeout (tcp tcpfin udp)
          --daemon                            output of daemon information
          --stats                             output of statistics information
          --rate                              output of rate information
          --exact                             expand numbers (display exact values)
          --thresholds                        output of thresholds information
          --persistent-conn                   output of persistent connection info
          --tun-info                          output of tunnel information
          --nosort                            disable sorting output of service/server entries
          --sort                              does nothing, for backwards compatibility
          --numeric      -n                   numeric output of addresses and ports
          --ops          -o                   one-packet scheduling
          --sched-flags  -b flags             scheduler flags (comma-separated); a bare -b is --fullnat
          --proxy-protocol  version           PROXY protocol header towards -m and -b real servers of a TCP
                                              service (disable|v1|v2)
          --laddr        -z local-ip          local IP
          --ifname       -F interface         nic interface for laddrs

        Daemon Options:
          --syncid sid                        syncid for connection sync (default=0)
          --sync-maxlen length                Max sync message length (default=1472)
          --mcast-interface interface         multicast interface for connection sync (default=eth0)
          --mcast-group address               IPv4 group (default=224.0.0.81)
          --mcast-port port                   UDP port (default=8848)
          --mcast-ttl ttl                     Multicast TTL (default=1)

        {program} controls the JVS director of the current network namespace through its control
        socket /run/jvs/net-INODE.sock (INODE from /proc/self/ns/net). IPv6 is written as ipvsadm
        writes it ([2001:db8::10]:80), but the director does not forward IPv6 yet and refuses it.
        Not implemented by JVS: fwmark and SCTP services and persistence engines.
        """;

    private HelpText() {
    }

    static String render(List<String> schedulerNames) {
        return VERSION.concat(USAGE).replace("{program}", IpvsadmParser.PROGRAM)
                .replace("{schedulers}", String.join("|", schedulerNames))
                .replace("{default}", IpvsadmParser.DEFAULT_SCHEDULER);
    }
}
