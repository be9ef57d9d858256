package org.jvs.keepalived;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs notify scripts as keepalived's notify_exec does: the command line split into words (not through a shell),
 * the script left to run on its own while the director carries on. Each launch and reaping happens on a virtual
 * thread so that a slow fork never holds up a health transition.
 */
public final class NotifyScripts implements ScriptRunner, AutoCloseable {
    private static final long SHUTDOWN_WAIT_MS = 1_000;

    private final PrintStream err;
    private final Phaser running = new Phaser(1);

    public NotifyScripts(PrintStream err) {
        this.err = err;
    }

    @Override
    public void run(String commandLine) {
        List<String> argv = split(commandLine);
        if (argv.isEmpty()) {
            return;
        }
        running.register();
        Thread.ofVirtual().name("jvs-notify").start(() -> {
            try {
                Process process = new ProcessBuilder(argv)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                process.getOutputStream().close();
                process.waitFor();
            } catch (IOException e) {
                err.println("jvs: cannot run script '" + commandLine + "': " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.arriveAndDeregister();
            }
        });
    }

    /**
     * keepalived's alloc_strvec_quoted_escaped (core/parser.c): words separated by blanks; "..." and '...' group
     * words, a backslash outside single quotes takes the next character as it is.
     */
    static List<String> split(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (quote != 0 && c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'' && i + 1 < commandLine.length()) {
                word.append(commandLine.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                word.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Gives scripts started at shutdown (omega) a moment to finish, as keepalived's system_call_script does. */
    @Override
    public void close() {
        int phase = running.arrive();
        try {
            running.awaitAdvanceInterruptibly(phase, SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException stillRunning) {
            // they go on without us, as keepalived's killed-after-timeout scripts would not
        }
    }
}
