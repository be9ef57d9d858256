package org.jvs.check;

import java.time.Instant;

/** What {@code ./jvs status} shows for one checker of one real server. */
public record CheckerStatus(String server, String checker, boolean up, String lastResult, Instant since) {
}
