package org.jvs.check;

import java.net.InetAddress;
import java.util.List;

/**
 * A real server under health checks: up while every one of its checkers passes (with no checker it is always
 * up).
 *
 * @param name     a stable, unique name, e.g. "TCP 203.0.113.10:80 -> 192.0.2.11:80"
 * @param address  the real server's address (checkers connect here unless connect_ip says otherwise)
 * @param port     the real server's port
 * @param startsUp false with keepalived's alpha: every checker starts failed until it passes once
 */
public record CheckedServer(String name, InetAddress address, int port, List<CheckSpec> checkers, boolean startsUp) {

    /** An IPv4 real server. */
    public CheckedServer(String name, int address, int port, List<CheckSpec> checkers, boolean startsUp) {
        this(name, Connections.inet(address), port, checkers, startsUp);
    }
}
