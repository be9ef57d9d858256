package org.jvs.api;

import org.jvs.service.ForwardingMethod;

/** A real server as -a/-e describe it: -r RIP[:PORT] -g|-i|-m -w WEIGHT -x UPPER -y LOWER. */
public record RealServerSpec(int address, int port, ForwardingMethod method, int weight, int upperThreshold,
                             int lowerThreshold) {
}
