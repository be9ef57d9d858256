package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.List;

/**
 * keepalived's alloc_strvec() plus read_line()'s brace split: words are separated by blanks, a double-quoted
 * string is one word without its quotes, and each '{' or '}' outside quotes ends the current line and is a line
 * of its own.
 */
final class Tokenizer {
    private static final int SHOWN_CHARS = 60;

    private Tokenizer() {
    }

    static void split(String line, ConfigLocation where, List<ConfigLine> out) throws ConfigException {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '{' || c == '}') {
                flush(words, where, out);
                out.add(new ConfigLine(where, List.of(String.valueOf(c))));
                i++;
            } else if (c == '"') {
                int close = line.indexOf('"', i + 1);
                if (close < 0) {
                    throw new ConfigException(where, "unterminated quote in '" + shorten(line)
                            + "'; expected a closing '\"'");
                }
                words.add(line.substring(i + 1, close));
                i = close + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(line.charAt(i)) && "\"{}".indexOf(line.charAt(i)) < 0) {
                    i++;
                }
                words.add(line.substring(start, i));
            }
        }
        flush(words, where, out);
    }

    private static void flush(List<String> words, ConfigLocation where, List<ConfigLine> out) {
        if (!words.isEmpty()) {
            out.add(new ConfigLine(where, List.copyOf(words)));
            words.clear();
        }
    }

    /** A token as error messages show it: printable and not too long. */
    static String shorten(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < SHOWN_CHARS; i++) {
            char c = text.charAt(i);
            b.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return text.length() > SHOWN_CHARS ? b + "..." : b.toString();
    }
}
