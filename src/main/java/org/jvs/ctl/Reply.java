package org.jvs.ctl;

/** What one jvsadm invocation prints and the status it exits with. */
public record Reply(int exitCode, String stdout, String stderr) {

    static Reply output(String stdout) {
        return new Reply(0, stdout, "");
    }

    /** One line on stderr. */
    static Reply error(int exitCode, String message) {
        return new Reply(exitCode, "", message + "\n");
    }
}
