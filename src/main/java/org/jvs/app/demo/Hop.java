package org.jvs.app.demo;

/** One frame as a capture saw it on a link of the demo lab: which link, when (kernel time, ns), and what. */
public record Hop(String link, long timestampNs, SeenFrame frame) {
    /** The client's link to the director. */
    public static final String CLIENT_SIDE = "client side";
    /** A real server's link to the director. */
    public static final String REAL_SERVER_SIDE = "real-server side";
    /** The client's second link, the one DR and TUN replies take from the real servers, bypassing the director. */
    public static final String RETURN_LINK = "return link";
}
