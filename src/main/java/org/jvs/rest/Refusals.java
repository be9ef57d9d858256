package org.jvs.rest;

import org.jvs.api.ControlException;

/**
 * The HTTP status of a change the director refused ({@link ControlException}, whose message is the one jvsadm prints
 * for the same case), and the body field it is about when the message names one:
 * <ul>
 * <li>404 - the service, real server or local address does not exist ("No such service", "Service not defined",
 *     "No such destination", "No such local address");</li>
 * <li>409 - it exists already ("Service already exists", "Destination already exists", "Local address already
 *     exists");</li>
 * <li>503 - the director did not take the call (its control queue full, no answer in time): nothing changed, retry;</li>
 * <li>500 - an internal error of the director;</li>
 * <li>422 - any other refusal of a well-formed request (e.g. "Scheduler or persistence engine not found", or an
 *     IPv6 address the director does not forward yet, about the field "address").</li>
 * </ul>
 */
final class Refusals {
    private Refusals() {
    }

    static int status(ControlException refusal) {
        String message = String.valueOf(refusal.getMessage());
        if (message.startsWith("No such ") || message.equals("Service not defined")) {
            return 404;
        }
        if (message.endsWith("already exists")) {
            return 409;
        }
        if (message.startsWith("Director busy") || message.startsWith("Director did not answer")
                || message.startsWith("Interrupted")) {
            return 503;
        }
        if (message.startsWith("Internal error")) {
            return 500;
        }
        return 422;
    }

    /** The body field a refusal is about, null when it names none. */
    static String field(ControlException refusal) {
        String message = String.valueOf(refusal.getMessage());
        if (message.startsWith("Scheduler or persistence engine not found")) {
            return "scheduler";
        }
        if (message.startsWith("PROXY protocol")) {
            return "proxyProtocol";
        }
        if (message.startsWith("Invalid local address") || refusal.isFamilyNotForwarded()) {
            return "address";
        }
        return null;
    }
}
