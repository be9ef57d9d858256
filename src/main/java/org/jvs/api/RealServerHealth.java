package org.jvs.api;

import java.time.Instant;

/**
 * What the health checks say of one real server of one virtual service (keepalived's rs->alive): up or down, since
 * when, and the last failing checker's reason when down ({@code ""} otherwise).
 */
public record RealServerHealth(ServiceKey service, IpAddress address, int port, boolean up, Instant since, String reason) {
}
