package org.jvs.ctl;

import java.util.OptionalInt;

import org.jvs.api.IpAddress;

/** {@link NameResolver#acceptingAnyName()}: every name is valid and resolves to 0; no number has a name. */
enum AnyName implements NameResolver {
    INSTANCE;

    @Override
    public OptionalInt address(String hostName) {
        return OptionalInt.of(0);
    }

    @Override
    public String hostName(IpAddress address) {
        return null;
    }

    @Override
    public OptionalInt port(String serviceName, int protocol) {
        return OptionalInt.of(0);
    }

    @Override
    public String serviceName(int port, int protocol) {
        return null;
    }
}
