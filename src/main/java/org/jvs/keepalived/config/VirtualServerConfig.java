package org.jvs.keepalived.config;

import java.time.Duration;
import java.util.List;

import org.jvs.api.IpAddress;
import org.jvs.service.ForwardingMethod;

/**
 * One virtual_server block. It names either one VIP:PORT ({@code group} is "") or a virtual_server_group
 * ({@code address} 0.0.0.0 and {@code port} 0). The address is IPv4 or IPv6.
 *
 * @param protocol               org.jvs.service.Protocol.TCP or UDP (keepalived's default: TCP)
 * @param scheduler              lb_algo (keepalived's default: wlc)
 * @param schedulerFlags         ipvsadm -b flags from lb_algo flags (sh-port, sh-fallback, mh-port, mh-fallback), "" for none
 * @param onePacket              ops
 * @param method                 lb_kind (NAT MASQ, DR ROUTE, TUN TUNNEL, FNAT FULLNAT; keepalived's default: NAT)
 * @param persistenceTimeoutS    persistence_timeout, 0 when not persistent
 * @param persistenceNetmask     persistence_granularity as an int mask, -1 when not given; for an IPv6 virtual
 *                               server (or ip_family inet6) a prefix length 1..128
 * @param delayLoop              delay_loop (keepalived's default: 60 s)
 * @param alpha                  alpha: real servers start down until their checkers pass
 * @param omega                  omega: quorum_down runs when the service is removed as well
 * @param quorum                 quorum (keepalived's default 1): sum of up weights needed for the service
 * @param hysteresis             hysteresis around quorum
 * @param quorumUp               quorum_up command, "" for none
 * @param quorumDown             quorum_down command, "" for none
 * @param inhibitOnFailure       virtual-server-level inhibit_on_failure, the default of its real servers
 * @param sorryServer            sorry_server, null for none
 * @param sorryServerInhibit     sorry_server_inhibit: the sorry server stays in with weight 0 while not needed
 * @param laddrGroupName         laddr_group_name (full NAT), "" for none
 * @param proxyProtocol          0, 1 or 2 (a JVS keyword, proxy_protocol v1|v2)
 * @param realServers            in file order
 */
public record VirtualServerConfig(ConfigLocation where, IpAddress address, int port, String group, int protocol,
                                  String scheduler, String schedulerFlags, boolean onePacket,
                                  ForwardingMethod method, int persistenceTimeoutS, int persistenceNetmask,
                                  Duration delayLoop, boolean alpha, boolean omega, int quorum, int hysteresis,
                                  String quorumUp, String quorumDown, boolean inhibitOnFailure,
                                  RealServerConfig sorryServer, boolean sorryServerInhibit, String laddrGroupName,
                                  int proxyProtocol, List<RealServerConfig> realServers) {
}
