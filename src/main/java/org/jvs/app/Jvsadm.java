package org.jvs.app;

import java.util.List;

import org.jvs.ctl.ControlClient;

/** ./jvsadm: the ipvsadm-compatible command line, talking to the director of this network namespace. */
public final class Jvsadm {
    private Jvsadm() {
    }

    public static void main(String[] args) {
        int exitCode = ControlClient.run(List.of(args), System.in, System.out, System.err, null);
        System.out.flush();
        System.err.flush();
        // halt, not exit: Runtime.exit logs through System.Logger, whose first use costs every jvsadm tens of ms;
        // jvsadm registers no shutdown hooks and its output is flushed
        Runtime.getRuntime().halt(exitCode);
    }
}
