package org.jvs.e2e;

/** What a finished command left behind; {@code exitCode} is -1 when it was killed for overrunning its time. */
record CommandResult(String command, int exitCode, String stdout, String stderr) {

    boolean ok() {
        return exitCode == 0;
    }

    /** One line for a failure message: the command, how it ended and the last words it said. */
    String describe() {
        String said = (stderr.isBlank() ? stdout : stderr).strip();
        if (said.length() > 400) {
            said = "..." + said.substring(said.length() - 400);
        }
        String ending = exitCode == -1 ? "timed out" : "exit " + exitCode;
        return "'" + command + "' " + ending + (said.isEmpty() ? "" : ": " + said.replace('\n', ' '));
    }
}
