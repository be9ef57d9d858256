package org.jvs.ctl;

import java.util.List;

/** jvsadm -h and -v, modelled on ipvsadm's usage text, listing only what JVS implements. */
final class HelpText {
    static final String VERSION = "jvsadm v0.1.0 (JVS - Java Virtual Server, ipvsadm v1.31 compatible, IPVS v1.2.1)\n";

    private HelpText() {
    }

    static String render(List<String> schedulerNames) {
        String p = IpvsadmParser.PROGRAM;
        return VERSION
                + "Usage:\n"
                + "  " + p + " -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-b sched-flags]\n"
                + "  " + p + " -D virtual-service\n"
                + "  " + p + " -C\n"
                + "  " + p + " -R\n"
                + "  " + p + " -S [-n]\n"
                + "  " + p + " -a|e virtual-service -r server-address [options]\n"
                + "  " + p + " -d virtual-service -r server-address\n"
                + "  " + p + " -L|l [virtual-service] [options]\n"
                + "  " + p + " -Z [virtual-service]\n"
                + "  " + p + " --set tcp tcpfin udp\n"
                + "  " + p + " -h\n\n"
                + "Commands:\n"
                + "Either long or short options are allowed.\n"
                + "  --add-service     -A        add virtual service with options\n"
                + "  --edit-service    -E        edit virtual service with options\n"
                + "  --delete-service  -D        delete virtual service\n"
                + "  --clear           -C        clear the whole table\n"
                + "  --restore         -R        restore rules from stdin\n"
                + "  --save            -S        save rules to stdout\n"
                + "  --add-server      -a        add real server with options\n"
                + "  --edit-server     -e        edit real server with options\n"
                + "  --delete-server   -d        delete real server\n"
                + "  --list            -L|-l     list the table\n"
                + "  --zero            -Z        zero counters in a service or all services\n"
                + "  --set tcp tcpfin udp        set connection timeout values\n"
                + "  --help            -h        display this help message\n\n"
                + "virtual-service:\n"
                + "  --tcp-service|-t  service-address   service-address is host[:port]\n"
                + "  --udp-service|-u  service-address   service-address is host[:port]\n\n"
                + "Options:\n"
                + "  --scheduler    -s scheduler         one of " + String.join("|", schedulerNames) + ",\n"
                + "                                      the default scheduler is " + IpvsadmParser.DEFAULT_SCHEDULER + ".\n"
                + "  --persistent   -p [timeout]         persistent service\n"
                + "  --netmask      -M netmask           persistent granularity mask\n"
                + "  --real-server  -r server-address    server-address is host (and port)\n"
                + "  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
                + "  --ipip         -i                   ipip encapsulation (tunneling)\n"
                + "  --masquerading -m                   masquerading (NAT)\n"
                + "  --tun-type      type                ipip, the only tunnel type JVS implements\n"
                + "  --weight       -w weight            capacity of real server\n"
                + "  --u-threshold  -x uthreshold        upper threshold of connections\n"
                + "  --l-threshold  -y lthreshold        lower threshold of connections\n"
                + "  --connection   -c                   output of current IPVS connections\n"
                + "  --timeout                           output of timeout (tcp tcpfin udp)\n"
                + "  --daemon                            output of daemon information\n"
                + "  --stats                             output of statistics information\n"
                + "  --rate                              output of rate information\n"
                + "  --exact                             expand numbers (display exact values)\n"
                + "  --thresholds                        output of thresholds information\n"
                + "  --persistent-conn                   output of persistent connection info\n"
                + "  --tun-info                          output of tunnel information\n"
                + "  --nosort                            disable sorting output of service/server entries\n"
                + "  --sort                              does nothing, for backwards compatibility\n"
                + "  --numeric      -n                   numeric output of addresses and ports\n"
                + "  --sched-flags  -b flags             scheduler flags (comma-separated)\n\n"
                + p + " controls the JVS director of the current network namespace through its control\n"
                + "socket /run/jvs/net-INODE.sock (INODE from /proc/self/ns/net). Not implemented by JVS:\n"
                + "fwmark, SCTP and IPv6 services, persistence engines, one-packet scheduling, GUE/GRE\n"
                + "tunnels and the connection sync daemon.\n";
    }
}
