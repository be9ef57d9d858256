package org.jvs.app.demo;

/** A reason the demo cannot go on, worded for the person who ran it. */
public final class DemoFailure extends RuntimeException {
    public DemoFailure(String reason) {
        super(reason, null, false, false);
    }
}
