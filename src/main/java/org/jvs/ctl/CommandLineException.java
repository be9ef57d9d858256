package org.jvs.ctl;

/**
 * A command line ipvsadm would refuse: the one line it prints on stderr and the status it exits with
 * (2 for its own checks, 255 for option syntax errors and for refusals by the director).
 */
public final class CommandLineException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CommandLineException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
