package org.jvs.keepalived.config;

import java.util.List;

import org.jvs.api.IpAddress;

/**
 * A virtual_server_group: its members are VIP:PORT entries, where "10.0.0.1-5 80" is five members and
 * "2001:db8::1-a 80" ten (an IPv6 range ends in the last group, in hex, as keepalived's inet_stor reads it).
 */
public record VirtualServerGroup(ConfigLocation where, String name, List<Member> members) {

    /** Addresses first..last (equal for a single address), one port. fwmark members are warned about, not kept. */
    public record Member(IpAddress firstAddress, IpAddress lastAddress, int port) {
    }
}
