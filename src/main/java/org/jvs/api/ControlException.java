package org.jvs.api;

/** A refused control operation; the message is the one line ipvsadm would print (e.g. "Service not defined"). */
public final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    public ControlException(String message) {
        super(message);
    }
}
