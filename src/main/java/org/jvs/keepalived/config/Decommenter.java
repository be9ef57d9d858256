package org.jvs.keepalived.config;

/**
 * keepalived's decomment(): '!' or '#' outside double quotes starts a comment, '\!' and '\#' outside quotes are
 * the characters themselves. The result is trimmed.
 */
final class Decommenter {
    private Decommenter() {
    }

    static String strip(String line, ConfigLocation where) throws ConfigException {
        StringBuilder out = new StringBuilder(line.length());
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '\\' && i + 1 < line.length()
                    && (line.charAt(i + 1) == '#' || line.charAt(i + 1) == '!')) {
                c = line.charAt(++i);
            } else if (!quoted && (c == '!' || c == '#')) {
                break;
            }
            out.append(c);
        }
        if (quoted) {
            throw new ConfigException(where, "unterminated quote in '" + Tokenizer.shorten(line.strip())
                    + "'; expected a closing '\"'");
        }
        return out.toString().strip();
    }
}
