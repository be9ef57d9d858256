package org.jvs.keepalived.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jvs.check.CheckCommon;
import org.jvs.check.MiscCheckSpec;

/** MISC_CHECK (keepalived check/check_misc.c). */
final class MiscCheckParser {
    private static final long MAX_TIMEOUT_S = 4294L;

    private MiscCheckParser() {
    }

    /** The checker, or null when it has no misc_path (keepalived drops it too). */
    static MiscCheckSpec parse(ConfigNode checker, CheckCommon common, Warnings warnings) throws ConfigException {
        List<String> command = null;
        Duration timeout = common.delayLoop();
        boolean dynamic = false;
        for (ConfigNode node : checker.children()) {
            switch (node.keyword()) {
                case "misc_path" -> command = command(node);
                case "misc_timeout" -> {
                    long seconds = Values.number(node, 1, 0, MAX_TIMEOUT_S);
                    // keepalived runs the script with delay_loop as its limit when misc_timeout is 0
                    timeout = seconds == 0 ? common.delayLoop() : Duration.ofSeconds(seconds);
                }
                case "misc_dynamic" -> dynamic = true;
                case "user" -> warnings.once(node.where(), "MISC_CHECK user", "user in MISC_CHECK is not "
                        + "implemented by JVS; the script runs as global_defs script_user or the director's user");
                default -> {
                }
            }
        }
        if (command == null) {
            warnings.each(checker.where(), "MISC_CHECK", "MISC_CHECK has no misc_path; checker ignored, as "
                    + "keepalived ignores it");
            return null;
        }
        return new MiscCheckSpec(common, command, timeout, dynamic);
    }

    /**
     * keepalived takes the word after misc_path (a quoted string is one word) and splits it again as a shell
     * would: blanks separate arguments, single or double quotes group them, a backslash escapes one character.
     */
    static List<String> command(ConfigNode node) throws ConfigException {
        String line = Values.word(node, 1, "a program path, e.g. misc_path \"/usr/local/bin/check.sh arg\"");
        List<String> args = new ArrayList<>();
        StringBuilder arg = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    arg.append(line.charAt(++i));
                } else {
                    arg.append(c);
                }
            } else if (c == ' ' || c == '\t') {
                if (inArg) {
                    args.add(arg.toString());
                    arg.setLength(0);
                    inArg = false;
                }
            } else {
                inArg = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    arg.append(line.charAt(++i));
                } else {
                    arg.append(c);
                }
            }
        }
        if (quote != 0) {
            throw Values.bad(node, line, "a command with balanced quotes");
        }
        if (inArg) {
            args.add(arg.toString());
        }
        if (args.isEmpty()) {
            throw Values.bad(node, line, "a program path");
        }
        return List.copyOf(args);
    }
}
