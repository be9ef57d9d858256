package org.jvs.check;

/** TCP_CHECK: up when a TCP connection opens within connect_timeout. */
public record TcpCheckSpec(CheckCommon common) implements CheckSpec {
    @Override
    public String kind() {
        return "TCP_CHECK";
    }
}
