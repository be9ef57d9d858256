package org.jvs.app;

/** ./jvsadm: the ipvsadm-compatible command line. */
public final class Jvsadm {
    private Jvsadm() {
    }

    public static void main(String[] args) {
        System.err.println("jvsadm: not yet");
        System.exit(2);
    }
}
