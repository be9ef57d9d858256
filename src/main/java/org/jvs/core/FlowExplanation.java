package org.jvs.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the director does with one flow, step by step, as {@code ./jvs explain} prints it: a heading naming the
 * flow and whether it is an existing connection or a hypothetical new one, then numbered steps (service,
 * scheduler, persistence, forwarding and rewrite, PROXY protocol, state and timeout), each a title and its lines.
 * A pure value made on the data-plane thread by {@link FlowExplainer}.
 */
public record FlowExplanation(String heading, List<Step> steps, boolean existing) {

    /** One step: a short title ("service", "rewrite") and what it found. */
    public record Step(String title, List<String> lines) {
        public Step {
            lines = List.copyOf(lines);
        }
    }

    public FlowExplanation {
        steps = List.copyOf(steps);
    }

    /**
     * The text: the heading, then each step as {@code "  N. title  first line"} with its further lines under the
     * first, every title padded to the widest so the lines start in one column.
     */
    public String text() {
        int width = 0;
        for (Step step : steps) {
            width = Math.max(width, step.title().length());
        }
        StringBuilder text = new StringBuilder(heading).append('\n');
        int number = 1;
        for (Step step : steps) {
            String prefix = "  " + number++ + ". ";
            String title = step.title() + " ".repeat(width - step.title().length()) + "  ";
            String indent = " ".repeat(prefix.length() + title.length());
            List<String> lines = step.lines().isEmpty() ? List.of("") : step.lines();
            text.append((prefix + title + lines.getFirst()).stripTrailing()).append('\n');
            for (int i = 1; i < lines.size(); i++) {
                text.append((indent + lines.get(i)).stripTrailing()).append('\n');
            }
        }
        return text.toString();
    }

    /** Rows of cells aligned in columns, two spaces apart: the hop lines of the rewrite step. */
    static List<String> columns(List<String[]> rows) {
        int columns = 0;
        for (String[] row : rows) {
            columns = Math.max(columns, row.length);
        }
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(row[c]).append(" ".repeat(widths[c] - row[c].length())).append(c + 1 < row.length ? "  " : "");
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
