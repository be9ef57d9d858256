package org.jvs.keepalived.config;

import java.util.List;

/** DPVS's local_address_group: "192.0.2.100-103 dpdk0" is four local addresses on one interface. */
public record LocalAddressGroup(ConfigLocation where, String name, List<Member> members) {

    /** @param interfaceName "" when not given */
    public record Member(int firstAddress, int lastAddress, String interfaceName) {
    }
}
