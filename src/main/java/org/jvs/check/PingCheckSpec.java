package org.jvs.check;

/** PING_CHECK: up when an ICMP echo request is answered within connect_timeout. */
public record PingCheckSpec(CheckCommon common) implements CheckSpec {
    @Override
    public String kind() {
        return "PING_CHECK";
    }
}
