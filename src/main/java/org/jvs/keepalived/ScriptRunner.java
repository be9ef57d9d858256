package org.jvs.keepalived;

/** Starts keepalived's notify_up/notify_down/quorum_up/quorum_down scripts; never waits for them. */
@FunctionalInterface
public interface ScriptRunner {

    /** {@code commandLine} as written in the configuration: a program and its arguments. */
    void run(String commandLine);
}
