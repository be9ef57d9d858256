package org.jvs.ctl;

import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSpec;
import org.jvs.api.SyncDaemonSpec;
import org.jvs.api.TimeoutsSpec;

/** One ipvsadm command line, parsed and checked, ready to run against a director. */
public sealed interface Command {

    /** -A */
    record AddService(ServiceSpec spec) implements Command {
    }

    /** -E: the whole definition, options left out taking their defaults, as ipvsadm sends it. */
    record EditService(ServiceSpec spec) implements Command {
    }

    /** -D */
    record DeleteService(ServiceKey key) implements Command {
    }

    /** -C */
    record Clear() implements Command {
    }

    /** -a */
    record AddRealServer(ServiceKey service, RealServerSpec server) implements Command {
    }

    /** -e: like -E, every option left out takes its default (weight 1, -g, no thresholds). */
    record EditRealServer(ServiceKey service, RealServerSpec server) implements Command {
    }

    /** -d */
    record DeleteRealServer(ServiceKey service, IpAddress address, int port) implements Command {
    }

    /** -P (DPVS's --add-laddr): a full-NAT local address of a service. */
    record AddLocalAddress(ServiceKey service, LocalAddressSpec localAddress) implements Command {
    }

    /** -Q (DPVS's --del-laddr) */
    record DeleteLocalAddress(ServiceKey service, IpAddress address) implements Command {
    }

    /** -G (DPVS's --get-laddr), of one service or of all when {@code service} is null. */
    record ListLocalAddresses(ServiceKey service) implements Command {
    }

    /** -Z, of one service or of all when {@code service} is null. */
    record Zero(ServiceKey service) implements Command {
    }

    /** --sysctl NAME=VALUE (JVS extension): one of IPVS's expire_* switches. */
    record SetSetting(String name, int value) implements Command {
    }

    /** --set tcp tcpfin udp */
    record SetTimeouts(TimeoutsSpec timeouts) implements Command {
    }

    /** -L, of one service or of the whole table when {@code service} is null. */
    record ListServices(ServiceKey service, ListFormat format) implements Command {
    }

    /** -L -c */
    record ListConnections(ListFormat format) implements Command {
    }

    /** -L --timeout */
    record ListTimeouts() implements Command {
    }

    /** -L --daemon: the running sync daemons, nothing when there are none. */
    record ListDaemons() implements Command {
    }

    /** --start-daemon master|backup, with the options ipvsadm left out at the kernel's defaults. */
    record StartDaemon(SyncDaemonSpec spec) implements Command {
    }

    /** --stop-daemon master|backup */
    record StopDaemon(SyncDaemonSpec.Role role) implements Command {
    }

    /** -S */
    record Save(ListFormat format) implements Command {
    }

    /** -R: the rules come from standard input. */
    record Restore() implements Command {
    }

    /** -h */
    record Help() implements Command {
    }

    /** -v */
    record Version() implements Command {
    }
}
