package org.jvs.keepalived.config;

import java.util.Map;

/**
 * keepalived's parameter definitions: a line "$NAME=value" defines NAME, and later "$NAME" or "${NAME}" is
 * replaced by value. Unknown names are left as written, as keepalived leaves them. Multi-line definitions and
 * parameterised ones (${NAME(a,b)}) are not supported: they stay as written.
 */
final class Definitions {
    private Definitions() {
    }

    /** NAME and value of a definition line, or null when the line is not one. */
    static Map.Entry<String, String> parse(String line) {
        if (line.length() < 2 || line.charAt(0) != '$' || !(Character.isLetter(line.charAt(1)) || line.charAt(1) == '_')) {
            return null;
        }
        int i = 2;
        while (i < line.length() && isNameChar(line.charAt(i))) {
            i++;
        }
        String name = line.substring(1, i);
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '=') {
            return null;
        }
        return Map.entry(name, line.substring(i + 1).strip());
    }

    static String substitute(String line, Map<String, String> definitions, ConfigLocation where)
            throws ConfigException {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c != '$' || i + 1 >= line.length()) {
                out.append(c);
                i++;
                continue;
            }
            boolean braced = line.charAt(i + 1) == '{';
            int nameStart = braced ? i + 2 : i + 1;
            int nameEnd = nameStart;
            while (nameEnd < line.length() && isNameChar(line.charAt(nameEnd))) {
                nameEnd++;
            }
            String value = nameEnd > nameStart ? definitions.get(line.substring(nameStart, nameEnd)) : null;
            boolean closed = !braced || (nameEnd < line.length() && line.charAt(nameEnd) == '}');
            if (value == null || !closed) {
                out.append(c);
                i++;
                continue;
            }
            out.append(value);
            if (out.length() > ConfigReader.MAX_LINE_CHARS) {
                throw new ConfigException(where, "substituting $" + line.substring(nameStart, nameEnd)
                        + " makes the line longer than " + ConfigReader.MAX_LINE_CHARS
                        + " characters; expected a definition that does not refer to itself");
            }
            i = braced ? nameEnd + 1 : nameEnd;
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }
}
