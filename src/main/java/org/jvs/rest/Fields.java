package org.jvs.rest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.jvs.api.IpAddress;

/**
 * The fields of one JSON request body, read one by one with their type and range checked: each read names the field
 * it takes, a field left out (or null) gets the default given, and {@link #noOthers} refuses the names no read took.
 * Every refusal is a 400 naming the field and what was expected.
 */
final class Fields {
    private final JsonNode body;
    private final Set<String> known = new LinkedHashSet<>();

    private Fields(JsonNode body) {
        this.body = body;
    }

    static Fields of(JsonNode body) throws ApiError {
        if (body == null || !body.isObject()) {
            throw new ApiError(400, null, "expected a JSON object as the request body");
        }
        return new Fields(body);
    }

    /** Whether the body gives {@code name} (not null). */
    boolean has(String name) {
        known.add(name);
        JsonNode value = body.get(name);
        return value != null && !value.isNull();
    }

    /** Fields that may be sent back as a GET answered them and are not read (stats, lists, ...). */
    void ignore(String... names) {
        known.addAll(List.of(names));
    }

    String text(String name, String fallback) throws ApiError {
        if (!has(name)) {
            if (fallback == null) {
                throw missing(name, "a string");
            }
            return fallback;
        }
        JsonNode value = body.get(name);
        if (!value.isTextual()) {
            throw ApiError.badField(name, "illegal " + name + ": " + value + " (expected a string)");
        }
        return value.textValue();
    }

    /** An integer from {@code min} to {@code max}; {@code what} opens the message, as ipvsadm's does. */
    int integer(String name, long min, long max, int fallback, String what) throws ApiError {
        if (!has(name)) {
            return fallback;
        }
        JsonNode value = body.get(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            throw ApiError.badField(name, what + ": " + value + " (expected an integer from " + min + " to " + max
                    + ")");
        }
        return (int) value.longValue();
    }

    boolean bool(String name, boolean fallback) throws ApiError {
        if (!has(name)) {
            return fallback;
        }
        JsonNode value = body.get(name);
        if (!value.isBoolean()) {
            throw ApiError.badField(name, "illegal " + name + ": " + value + " (expected true or false)");
        }
        return value.booleanValue();
    }

    /** A dotted-quad IPv4 or an IPv6 address; {@code fallback} null makes the field required. */
    IpAddress address(String name, String fallback) throws ApiError {
        return Ids.parseAddress(text(name, fallback), name);
    }

    /** Refuses a field no read took (a misspelt one would otherwise be silently left at its default). */
    void noOthers() throws ApiError {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                List<String> expected = new ArrayList<>(known);
                throw ApiError.badField(name, "unknown field '" + name + "' (expected " + String.join(", ", expected)
                        + ")");
            }
        }
    }

    private static ApiError missing(String name, String type) {
        return ApiError.badField(name, "missing field '" + name + "' (expected " + type + ")");
    }
}
