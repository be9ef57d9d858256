package org.jvs.app;

/** ./jvs: the daemon and its tools. */
public final class Jvs {
    private Jvs() {
    }

    public static void main(String[] args) {
        System.err.println("jvs: not yet");
        System.exit(2);
    }
}
