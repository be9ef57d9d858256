package org.jvs.metrics;

import java.io.IOException;

import org.jvs.api.ControlException;

/** Reads the director's values for one scrape, through its control path (see {@link DirectorReadings}). */
@FunctionalInterface
public interface MetricsSource {
    DirectorReadings read() throws ControlException, IOException;
}
