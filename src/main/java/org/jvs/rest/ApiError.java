package org.jvs.rest;

/**
 * A request the API answers with an error before (or instead of) calling the director: the HTTP status, the one-line
 * message of the JSON error body, and the field, path parameter or query parameter it is about (null if none).
 */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    ApiError(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    /** 400: a field of the body, or a parameter, is missing, of the wrong type or out of range. */
    static ApiError badField(String field, String message) {
        return new ApiError(400, field, message);
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
