package org.jvs.keepalived.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * keepalived's lexer (lib/parser.c read_line): turns files into {@link ConfigLine}s. It strips '!' and '#'
 * comments outside quotes, keeps '@id' lines only for the matching config id (and '@^id' lines only for the
 * others), records '$NAME=value' definitions and substitutes $NAME / ${NAME}, follows 'include' globs relative to
 * the including file's directory, and makes every brace outside quotes a line of its own.
 */
final class ConfigReader {
    static final int MAX_INCLUDE_DEPTH = 16;
    static final int MAX_FILES = 1000;
    static final long MAX_FILE_BYTES = 16L << 20;
    /** Substituted lines longer than this come from self-referencing definitions. */
    static final int MAX_LINE_CHARS = 64 * 1024;
    private static final int MAX_SUBSTITUTION_PASSES = 16;

    private final String configId;
    private final Warnings warnings;
    private final Map<String, String> definitions = new HashMap<>();
    private final List<ConfigLine> lines = new ArrayList<>();
    private final List<Path> includeStack = new ArrayList<>();
    private int filesRead;

    private ConfigReader(String configId, Warnings warnings) {
        this.configId = configId;
        this.warnings = warnings;
    }

    /** @param configId keepalived's -i config id, null for none */
    static List<ConfigLine> read(Path file, String configId, Warnings warnings) throws ConfigException, IOException {
        ConfigReader reader = new ConfigReader(configId, warnings);
        reader.readFile(file, Files.readAllBytes(checkedSize(file, null)));
        return reader.lines;
    }

    private static Path checkedSize(Path file, ConfigLocation includedFrom) throws IOException, ConfigException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new ConfigException(includedFrom != null ? includedFrom : new ConfigLocation(file, 0),
                    "'" + file + "' is larger than " + MAX_FILE_BYTES + " bytes; expected a configuration file");
        }
        return file;
    }

    private void readFile(Path file, byte[] bytes) throws ConfigException {
        includeStack.add(file);
        filesRead++;
        String text = new String(bytes, StandardCharsets.UTF_8);
        int lineNo = 0;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNo++;
            String raw = text.substring(start, end);
            if (!raw.isBlank()) {
                processLine(raw, new ConfigLocation(file, lineNo));
            }
            start = end + 1;
        }
        includeStack.removeLast();
    }

    private void processLine(String raw, ConfigLocation where) throws ConfigException {
        String line = Decommenter.strip(raw, where);
        for (int pass = 0; ; pass++) {
            if (line.isEmpty()) {
                return;
            }
            if (line.charAt(0) == '@') {
                line = conditional(line);
                continue;
            }
            if (line.charAt(0) == '$' && define(line)) {
                return;
            }
            if (line.startsWith("~SEQ") || line.startsWith("~LST")) {
                warnings.once(where, line.substring(0, 4), line.substring(0, 4)
                        + " is not implemented by JVS; line ignored");
                return;
            }
            if (pass >= MAX_SUBSTITUTION_PASSES || definitions.isEmpty() || line.indexOf('$') < 0) {
                break;
            }
            String substituted = Definitions.substitute(line, definitions, where);
            if (substituted.equals(line)) {
                break;
            }
            line = Decommenter.strip(substituted, where);
        }
        String include = includeTarget(line);
        if (include != null) {
            include(include, where);
            return;
        }
        Tokenizer.split(line, where, lines);
    }

    /** '@id rest' keeps rest only when id is the config id; '@^id rest' only when it is not. */
    private String conditional(String line) {
        boolean negated = line.length() > 1 && line.charAt(1) == '^';
        int idStart = negated ? 2 : 1;
        int idEnd = idStart;
        while (idEnd < line.length() && line.charAt(idEnd) != ' ' && line.charAt(idEnd) != '\t') {
            idEnd++;
        }
        if (idEnd == line.length()) {
            return "";
        }
        boolean matches = configId != null && configId.equals(line.substring(idStart, idEnd));
        return matches != negated ? line.substring(idEnd).strip() : "";
    }

    private boolean define(String line) {
        Map.Entry<String, String> definition = Definitions.parse(line);
        if (definition == null) {
            return false;
        }
        definitions.put(definition.getKey(), definition.getValue());
        return true;
    }

    /** The glob of an include line ("include", or keepalived 2.2's includer/includem/... variants), else null. */
    private static String includeTarget(String line) {
        if (!line.startsWith("include") || line.length() < 8) {
            return null;
        }
        char c = line.charAt(7);
        int from;
        if (c == ' ' || c == '\t') {
            from = 8;
        } else if ("rmwba".indexOf(c) >= 0 && line.length() > 8 && (line.charAt(8) == ' ' || line.charAt(8) == '\t')) {
            from = 9;
        } else {
            return null;
        }
        return line.substring(from).strip();
    }

    private void include(String pattern, ConfigLocation where) throws ConfigException {
        if (includeStack.size() > MAX_INCLUDE_DEPTH) {
            throw new ConfigException(where, "include '" + pattern + "' nests deeper than " + MAX_INCLUDE_DEPTH
                    + " files; expected no include loop");
        }
        Path dir = where.file().toAbsolutePath().getParent();
        List<Path> files = IncludeGlob.expand(dir, pattern, where);
        if (files.isEmpty()) {
            warnings.each(where, "include", "include '" + pattern + "' matches no file; nothing included");
        }
        for (Path file : files) {
            if (filesRead >= MAX_FILES) {
                throw new ConfigException(where, "include '" + pattern + "' brings the configuration over "
                        + MAX_FILES + " files; expected no include loop");
            }
            for (Path open : includeStack) {
                if (sameFile(open, file)) {
                    throw new ConfigException(where, "include '" + pattern + "' includes " + file
                            + " again while reading it; expected no include loop");
                }
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(checkedSize(file, where));
            } catch (IOException e) {
                throw new ConfigException(where, "include '" + pattern + "': cannot read " + file + " ("
                        + e.getClass().getSimpleName() + "); expected a readable file");
            }
            readFile(file, bytes);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
