package org.jvs.dashboard;

/**
 * Writes one JSON document (RFC 8259) into a string: objects, arrays, names and scalar values, the commas put in by
 * itself. Only what the dashboard's data needs; a non-finite number is written as {@code null}, as JSON has none.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder(4096);
    /** Whether the container being written already holds a value (so the next one needs a comma). */
    private boolean hasValue;
    /** Set by {@link #name}: the value that follows takes no comma. */
    private boolean afterName;

    JsonWriter beginObject() {
        separate();
        out.append('{');
        hasValue = false;
        return this;
    }

    JsonWriter endObject() {
        out.append('}');
        hasValue = true;
        return this;
    }

    JsonWriter beginArray() {
        separate();
        out.append('[');
        hasValue = false;
        return this;
    }

    JsonWriter endArray() {
        out.append(']');
        hasValue = true;
        return this;
    }

    JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        hasValue = true;
        return this;
    }

    JsonWriter value(long value) {
        separate();
        out.append(value);
        hasValue = true;
        return this;
    }

    JsonWriter value(double value) {
        separate();
        if (Double.isFinite(value)) {
            // whole rates stay integers in the text; others keep three decimals, enough for a chart
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                out.append((long) value);
            } else {
                out.append(Math.round(value * 1000) / 1000.0);
            }
        } else {
            out.append("null");
        }
        hasValue = true;
        return this;
    }

    JsonWriter value(boolean value) {
        separate();
        out.append(value);
        hasValue = true;
        return this;
    }

    JsonWriter nullValue() {
        separate();
        out.append("null");
        hasValue = true;
        return this;
    }

    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, double value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    private void separate() {
        if (afterName) {
            afterName = false;
        } else if (hasValue) {
            out.append(',');
        }
    }

    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        // control characters must be escaped; <, > and & too, so no text can close a script tag
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
