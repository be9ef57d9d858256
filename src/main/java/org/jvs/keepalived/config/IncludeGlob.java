package org.jvs.keepalived.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Expands an include pattern as glob(3) does for keepalived: '*', '?', '[...]' and '{a,b}' per path segment,
 * regular files only, sorted. keepalived changes directory to each file it opens, so a relative pattern is
 * relative to the directory of the including file.
 */
final class IncludeGlob {
    private static final int MAX_MATCHES = 10_000;

    private IncludeGlob() {
    }

    static List<Path> expand(Path dir, String pattern, ConfigLocation where) throws ConfigException {
        if (pattern.isEmpty()) {
            throw new ConfigException(where, "include without a file; expected include FILE-OR-GLOB");
        }
        try {
            Path start = pattern.startsWith("/") ? Path.of("/") : dir;
            List<Path> current = List.of(start);
            String[] segments = pattern.split("/+");
            for (String segment : segments) {
                if (segment.isEmpty() || segment.equals(".")) {
                    continue;
                }
                List<Path> next = new ArrayList<>();
                for (Path base : current) {
                    if (isGlob(segment)) {
                        matchChildren(base, segment, next);
                    } else {
                        next.add(base.resolve(segment));
                    }
                    if (next.size() > MAX_MATCHES) {
                        throw new ConfigException(where, "include '" + Tokenizer.shorten(pattern) + "' matches over "
                                + MAX_MATCHES + " paths; expected a narrower glob");
                    }
                }
                current = next;
            }
            List<Path> files = new ArrayList<>();
            for (Path p : current) {
                if (Files.isRegularFile(p)) {
                    files.add(p.normalize());
                }
            }
            return files;
        } catch (InvalidPathException | PatternSyntaxException e) {
            throw new ConfigException(where, "include '" + Tokenizer.shorten(pattern)
                    + "' is not a valid path or glob; expected a file name or glob(7) pattern");
        }
    }

    private static boolean isGlob(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if ("*?[{".indexOf(segment.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static void matchChildren(Path base, String segment, List<Path> out) {
        if (!Files.isDirectory(base)) {
            return;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + segment);
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(base)) {
            for (Path child : children) {
                Path name = child.getFileName();
                // glob(3) does not match a leading '.' with a wildcard
                if (name != null && matcher.matches(name)
                        && (!name.toString().startsWith(".") || segment.startsWith("."))) {
                    matches.add(child);
                }
                if (matches.size() > MAX_MATCHES) {
                    break;
                }
            }
        } catch (IOException | SecurityException e) {
            return;
        }
        matches.sort(null);
        out.addAll(matches);
    }
}
