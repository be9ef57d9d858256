package org.jvs.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The director's log: one line per event, {@code LEVEL component: message}, e.g.
 * {@code INFO vrrp: VRRP_Instance(VI_1) Entering MASTER STATE}, written to one stream (stderr; under systemd the
 * journal). The message after the prefix is the text keepalived and operators already grep. Lines below the
 * threshold ({@code --log-level}) are not written. Thread-safe: each line is one {@code println}.
 *
 * <p>When stderr is the journal (systemd's {@code $JOURNAL_STREAM} names it) each line also starts with the syslog priority in angle
 * brackets ({@code <6>}), which journald takes as the entry's priority and removes, so {@code journalctl -p warning}
 * filters by level.
 */
public final class Log {
    /** Levels, most severe first; each with its syslog priority (sd-daemon(3)'s SD_ERR, SD_WARNING ...). */
    public enum Level {
        ERROR(3), WARNING(4), INFO(6), DEBUG(7);

        private final int syslogPriority;

        Level(int syslogPriority) {
            this.syslogPriority = syslogPriority;
        }

        /** error, warning, info or debug, as --log-level takes them. */
        public static Level parse(String text) {
            for (Level level : values()) {
                if (level.name().equalsIgnoreCase(text)) {
                    return level;
                }
            }
            throw new IllegalArgumentException("--log-level " + text + ": expected error, warning, info or debug");
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PrintStream sink;
    private final Level threshold;
    private final String component;
    private final boolean syslogPrefix;

    Log(PrintStream sink, Level threshold, String component, boolean syslogPrefix) {
        this.sink = sink;
        this.threshold = threshold;
        this.component = component;
        this.syslogPrefix = syslogPrefix;
    }

    /** A log of component {@code component} writing lines at {@code threshold} and above to {@code sink}. */
    public static Log to(PrintStream sink, Level threshold, String component) {
        return new Log(sink, threshold, component, false);
    }

    /** As {@link #to} on stderr, with journald's priority prefix when stderr is the journal. */
    public static Log toStderr(Level threshold, String component) {
        return new Log(System.err, threshold, component, stderrIsJournal(System.getenv("JOURNAL_STREAM")));
    }

    /**
     * Whether stderr is the stream {@code $JOURNAL_STREAM} ("DEVICE:INODE", systemd.exec(5)) names: the variable
     * alone is inherited by children whose stderr went elsewhere.
     */
    static boolean stderrIsJournal(String journalStream) {
        if (journalStream == null || journalStream.isEmpty()) {
            return false;
        }
        try {
            Map<String, Object> stderr = Files.readAttributes(Path.of("/proc/self/fd/2"), "unix:dev,ino");
            return journalStream.equals(stderr.get("dev") + ":" + stderr.get("ino"));
        } catch (IOException | UnsupportedOperationException unknown) {
            return false;
        }
    }

    /** The same sink and threshold for another component. */
    public Log component(String name) {
        return new Log(sink, threshold, name, syslogPrefix);
    }

    public String component() {
        return component;
    }

    public Level threshold() {
        return threshold;
    }

    public boolean enabled(Level level) {
        return level.ordinal() <= threshold.ordinal();
    }

    public void error(String message) {
        log(Level.ERROR, message);
    }

    public void warning(String message) {
        log(Level.WARNING, message);
    }

    public void info(String message) {
        log(Level.INFO, message);
    }

    public void debug(String message) {
        log(Level.DEBUG, message);
    }

    public void log(Level level, String message) {
        if (enabled(level)) {
            sink.println(line(level, message));
        }
    }

    /** The line as written for {@code message} at {@code level}. */
    String line(Level level, String message) {
        String prefix = syslogPrefix ? "<" + level.syslogPriority + ">" + level.name() : level.name();
        return prefix + " " + component + ": " + message.replace('\n', ' ');
    }

    /**
     * A PrintStream for parts written against one (the cluster manager, notify scripts, the dashboard): each line
     * printed to it becomes a log line at {@code level}; the tool prefix such a part puts first ("jvs director: ",
     * "jvs: ") is dropped, the log line naming the component instead.
     */
    public PrintStream stream(Level level) {
        return new PrintStream(new LineSplitter(this, level), true, StandardCharsets.UTF_8);
    }

    /** Drops a leading "jvs director: " or "jvs: " (the tools' own prefix before there was a log). */
    static String withoutToolPrefix(String line) {
        for (String prefix : new String[] {"jvs director: ", "jvs: "}) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        return line;
    }

    /** Collects bytes up to each newline; PrintStream serialises the writes. */
    private static final class LineSplitter extends OutputStream {
        private final Log log;
        private final Level level;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineSplitter(Log log, Level level) {
            this.log = log;
            this.level = level;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String line = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                log.log(level, withoutToolPrefix(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
            } else {
                pending.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }
    }
}
