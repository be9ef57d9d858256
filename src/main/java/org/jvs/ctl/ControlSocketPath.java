package org.jvs.ctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the director of a network namespace listens: one socket per namespace, named after the namespace's
 * inode so that jvsadm in a namespace finds the director of that namespace and no other.
 */
public final class ControlSocketPath {
    public static final Path DIRECTORY = Path.of("/run/jvs");
    private static final Path NAMESPACE_LINK = Path.of("/proc/self/ns/net");
    private static final String PREFIX = "net:[";

    private ControlSocketPath() {
    }

    /** /run/jvs/net-INODE.sock for the network namespace this process runs in. */
    public static Path forThisNetworkNamespace() throws IOException {
        return forNamespaceLink(Files.readSymbolicLink(NAMESPACE_LINK).toString());
    }

    /** From the target of /proc/PID/ns/net, "net:[4026531840]"; read without a regex, jvsadm runs it per command. */
    static Path forNamespaceLink(String link) throws IOException {
        String inode = link.startsWith(PREFIX) && link.endsWith("]")
                ? link.substring(PREFIX.length(), link.length() - 1) : "";
        if (inode.isEmpty() || !CNumbers.allDigits(inode)) {
            throw new IOException(NAMESPACE_LINK + " reads '" + link + "' (expected net:[INODE])");
        }
        // a StringBuilder, not +: string concatenation's first use costs each jvsadm tens of ms
        return DIRECTORY.resolve(new StringBuilder("net-").append(inode).append(".sock").toString());
    }
}
