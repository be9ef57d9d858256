package org.jvs.linux;

import java.io.IOException;

/**
 * Named network namespaces as iproute2 creates them (bind mounts under /var/run/netns). Entering one moves only
 * the calling OS thread, so a platform thread can be dedicated to a namespace; sockets it opens stay in that
 * namespace whichever thread later uses them.
 */
public final class NetworkNamespace {
    private static final String NETNS_DIRECTORY = "/var/run/netns/";

    private NetworkNamespace() {
    }

    /** Moves the calling thread into the named namespace (needs CAP_SYS_ADMIN); not for virtual threads. */
    public static void enterOnCurrentThread(String name) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a network namespace name (expected a plain name as in 'ip netns list')");
        }
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a virtual thread cannot enter network namespace '" + name + "': it may move between OS threads");
        }
        String path = NETNS_DIRECTORY + name;
        int fd = (int) Native.check(Native.open(path, Native.O_RDONLY | Native.O_CLOEXEC), "open(" + path + ")");
        try {
            Native.check(Native.setns(fd, Native.CLONE_NEWNET), "setns(" + path + ", CLONE_NEWNET)");
        } finally {
            Native.close(fd);
        }
    }
}
