package org.jvs.api;

/** The three timeouts ipvsadm --set and --timeout handle, in seconds; 0 in a --set means "leave unchanged". */
public record TimeoutsSpec(int tcpS, int tcpFinS, int udpS) {
}
