package org.jvs.keepalived;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceKey;
import org.jvs.keepalived.config.KeepalivedConfig;
import org.jvs.keepalived.config.LocalAddressGroup;
import org.jvs.keepalived.config.VirtualServerConfig;

/** A full-NAT virtual server's local addresses (DPVS's laddr_group_name), kept in step with the configuration. */
final class LocalAddresses {
    private static final long MAX_GROUP_ADDRESSES = 65_536;

    private final DirectorControl control;
    private final IpvsDestinations ipvs;

    LocalAddresses(DirectorControl control, IpvsDestinations ipvs) {
        this.control = control;
        this.ipvs = ipvs;
    }

    /** DPVS's laddr_group_name: every address of the local_address_group, for full NAT. */
    List<LocalAddressSpec> of(VirtualServerConfig vsc, KeepalivedConfig config) {
        if (vsc.laddrGroupName().isEmpty()) {
            return List.of();
        }
        LocalAddressGroup group = config.localAddressGroups().get(vsc.laddrGroupName());
        if (group == null) {
            ipvs.fail(vsc.where() + ": laddr_group_name " + vsc.laddrGroupName()
                    + ": no local_address_group of that name");
            return List.of();
        }
        List<LocalAddressSpec> all = new ArrayList<>();
        for (LocalAddressGroup.Member member : group.members()) {
            long first = member.firstAddress() & 0xFFFF_FFFFL;
            long last = member.lastAddress() & 0xFFFF_FFFFL;
            for (long address = first; address <= last && address - first < MAX_GROUP_ADDRESSES; address++) {
                all.add(new LocalAddressSpec((int) address, member.interfaceName()));
            }
        }
        return List.copyOf(all);
    }

    void update(VirtualServerConfig vsc, ServiceKey key, List<LocalAddressSpec> old,
                                      List<LocalAddressSpec> wanted) {
        Set<LocalAddressSpec> keep = new LinkedHashSet<>(wanted);
        for (LocalAddressSpec laddr : old) {
            if (!keep.contains(laddr)) {
                try {
                    control.deleteLocalAddress(key, laddr.address());
                } catch (ControlException e) {
                    ipvs.fail(vsc.where() + ": " + key + ": cannot remove local address "
                            + laddr.address() + ": " + e.getMessage());
                }
            }
        }
        for (LocalAddressSpec laddr : wanted) {
            if (!old.contains(laddr)) {
                add(vsc, key, laddr);
            }
        }
    }

    void add(VirtualServerConfig vsc, ServiceKey key, LocalAddressSpec laddr) {
        try {
            control.addLocalAddress(key, laddr);
        } catch (ControlException e) {
            ipvs.fail(vsc.where() + ": " + key + ": cannot add local address " + laddr.address()
                    + ": " + e.getMessage());
        }
    }
}
