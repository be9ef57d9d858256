package org.jvs.keepalived.config;

import java.util.List;

/**
 * One logical line of a keepalived configuration after comments, conditionals, definitions and includes are
 * resolved. keepalived makes every '{' and '}' a line of its own, so a brace is a ConfigLine with that one word.
 */
record ConfigLine(ConfigLocation where, List<String> words) {

    String keyword() {
        return words.getFirst();
    }

    boolean isOpen() {
        return words.size() == 1 && words.getFirst().equals("{");
    }

    boolean isClose() {
        return words.size() == 1 && words.getFirst().equals("}");
    }
}
