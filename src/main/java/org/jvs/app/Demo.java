package org.jvs.app;

/** Placeholder until the demo lands from its branch. */
final class Demo {
    private Demo() {
    }

    static int run(String[] args) {
        System.err.println("jvs demo: not built yet");
        return 1;
    }
}
