package org.jvs.keepalived.config;

import java.util.List;

/** A virtual_server_group: its members are VIP:PORT entries, where "10.0.0.1-5 80" is five members. */
public record VirtualServerGroup(ConfigLocation where, String name, List<Member> members) {

    /** Addresses first..last (equal for a single address), one port. fwmark members are warned about, not kept. */
    public record Member(int firstAddress, int lastAddress, int port) {
    }
}
