package org.jvs.core;

/**
 * One data-plane worker's own counters ({@link Counters}' constants index them) and the fill and size of its
 * connection table (templates included), taken together on its thread.
 */
public record WorkerReading(long[] counters, int connections, int connectionCapacity) {
}
