package org.jvs.keepalived.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A keyword line and, when it opened a '{' block, the lines of that block.
 *
 * @param hasBlock a '{' followed the line (its children may still be empty)
 */
record ConfigNode(ConfigLine line, List<ConfigNode> children, boolean hasBlock) {

    ConfigLocation where() {
        return line.where();
    }

    String keyword() {
        return line.keyword();
    }

    List<String> words() {
        return line.words();
    }

    int size() {
        return line.words().size();
    }

    /** Builds the block tree, checking that braces balance. */
    static List<ConfigNode> tree(List<ConfigLine> lines) throws ConfigException {
        final int maxDepth = 32;
        List<Open> stack = new ArrayList<>();
        List<Open> roots = new ArrayList<>();
        Open previous = null;
        for (ConfigLine line : lines) {
            List<Open> level = stack.isEmpty() ? roots : stack.getLast().children;
            if (line.isOpen()) {
                if (previous == null || previous.open) {
                    throw new ConfigException(line.where(), "unexpected '{'; expected a keyword such as "
                            + "virtual_server or real_server before a block");
                }
                if (stack.size() >= maxDepth) {
                    throw new ConfigException(line.where(), "blocks nested deeper than " + maxDepth
                            + "; expected a '}' before another '{'");
                }
                previous.open = true;
                stack.add(previous);
                previous = null;
            } else if (line.isClose()) {
                if (stack.isEmpty()) {
                    throw new ConfigException(line.where(), "unexpected '}'; no block is open here");
                }
                stack.removeLast();
                previous = null;
            } else {
                previous = new Open(line);
                level.add(previous);
            }
        }
        if (!stack.isEmpty()) {
            Open unclosed = stack.getLast();
            throw new ConfigException(unclosed.line.where(), "block '" + Tokenizer.shorten(unclosed.line.keyword())
                    + "' opened here is never closed; expected '}'");
        }
        return freeze(roots);
    }

    private static List<ConfigNode> freeze(List<Open> opens) {
        List<ConfigNode> nodes = new ArrayList<>(opens.size());
        for (Open o : opens) {
            nodes.add(new ConfigNode(o.line, freeze(o.children), o.open));
        }
        return List.copyOf(nodes);
    }

    private static final class Open {
        final ConfigLine line;
        final List<Open> children = new ArrayList<>();
        boolean open;

        Open(ConfigLine line) {
            this.line = line;
        }
    }
}
