package org.jvs.ctl;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;

/**
 * Applies a text of ipvsadm commands in -S format, one per line ("ipvsadm" words, blank lines and '#'
 * comments ignored). Every line is parsed before the first one is applied, so a malformed script changes
 * nothing; a change the director refuses stops the script at that line. Errors name source and line.
 */
public final class RestoreScript {
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_REFUSED = 255;

    /** Why a script stopped: "source:line: message", and the exit status ipvsadm would give. */
    record Failure(String message, int exitCode) {
    }

    private RestoreScript() {
    }

    /** Used by -R and by the daemon's --restore FILE. */
    public static void apply(String text, String sourceName, DirectorControl control, IpvsadmParser parser)
            throws ControlException {
        Failure failure = run(text, sourceName, control, parser);
        if (failure != null) {
            throw new ControlException(failure.message());
        }
    }

    /** Null when every line was applied. */
    static Failure run(String text, String sourceName, DirectorControl control, IpvsadmParser parser) {
        record Line(int number, Command command) {
        }
        List<Line> lines = new ArrayList<>();
        String[] texts = text.split("\n", -1);
        for (int i = 0; i < texts.length; i++) {
            List<String> words = words(texts[i]);
            if (words.isEmpty()) {
                continue;
            }
            String where = sourceName + ":" + (i + 1) + ": ";
            Command command;
            try {
                command = parser.parse(words);
            } catch (CommandLineException e) {
                return new Failure(where + e.getMessage(), e.exitCode());
            }
            if (!isChange(command)) {
                return new Failure(where + "only -A -E -D -C -a -e -d -P -Q -Z and --set belong in a restore script, "
                        + "not `" + String.join(" ", words) + "'", EXIT_USAGE);
            }
            lines.add(new Line(i + 1, command));
        }
        for (Line line : lines) {
            try {
                CommandRunner.applyChange(line.command(), control);
            } catch (ControlException e) {
                return new Failure(sourceName + ":" + line.number() + ": " + e.getMessage(), EXIT_REFUSED);
            }
        }
        return null;
    }

    private static boolean isChange(Command command) {
        return switch (command) {
            case Command.AddService c -> true;
            case Command.EditService c -> true;
            case Command.DeleteService c -> true;
            case Command.Clear c -> true;
            case Command.AddRealServer c -> true;
            case Command.EditRealServer c -> true;
            case Command.DeleteRealServer c -> true;
            case Command.AddLocalAddress c -> true;
            case Command.DeleteLocalAddress c -> true;
            case Command.Zero c -> true;
            case Command.SetTimeouts c -> true;
            default -> false;
        };
    }

    /** Splits a line as ipvsadm's config_stream does, dropping the program name and a trailing comment. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String word : line.strip().split("[ \t\r]+")) {
            if (word.startsWith("#")) {
                break;
            }
            if (!word.isEmpty() && !word.equals("ipvsadm") && !word.equals(IpvsadmParser.PROGRAM)) {
                words.add(word);
            }
        }
        return words;
    }
}
