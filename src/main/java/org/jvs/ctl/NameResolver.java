package org.jvs.ctl;

import java.util.OptionalInt;

import org.jvs.api.IpAddress;

/**
 * Host and service names as ipvsadm looks them up (gethostbyname, getservbyname and their reverses), limited
 * to local tables: a control command must never wait on DNS.
 */
public interface NameResolver {

    /** The address of a host name, or empty when the name is unknown. */
    OptionalInt address(String hostName);

    /** The canonical host name of an address, or null when there is none. */
    String hostName(IpAddress address);

    /** The port of a service name for TCP or UDP, or empty when the name is unknown. */
    OptionalInt port(String serviceName, int protocol);

    /** The service name of a port for TCP or UDP, or null when there is none. */
    String serviceName(int port, int protocol);

    /**
     * Takes every host and service name for a valid one, resolving it to 0, and names no address or port:
     * for checking a command line's syntax where the names are looked up later, elsewhere.
     */
    static NameResolver acceptingAnyName() {
        return AnyName.INSTANCE;
    }

    /** Knows no names at all: every lookup falls back to numbers. */
    static NameResolver numericOnly() {
        return HostsAndServices.parse("", "");
    }
}
