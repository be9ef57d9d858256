package org.jvs.ctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the director of a network namespace listens: one socket per namespace, named after the namespace's
 * inode so that jvsadm in a namespace finds the director of that namespace and no other.
 */
public final class ControlSocketPath {
    public static final Path DIRECTORY = Path.of("/run/jvs");
    private static final Path NAMESPACE_LINK = Path.of("/proc/self/ns/net");
    private static final Pattern NAMESPACE = Pattern.compile("net:\\[(\\d+)]");

    private ControlSocketPath() {
    }

    /** /run/jvs/net-INODE.sock for the network namespace this process runs in. */
    public static Path forThisNetworkNamespace() throws IOException {
        return forNamespaceLink(Files.readSymbolicLink(NAMESPACE_LINK).toString());
    }

    /** From the target of /proc/PID/ns/net, "net:[4026531840]". */
    static Path forNamespaceLink(String link) throws IOException {
        Matcher matcher = NAMESPACE.matcher(link);
        if (!matcher.matches()) {
            throw new IOException(NAMESPACE_LINK + " reads `" + link + "', expected net:[INODE]");
        }
        return DIRECTORY.resolve("net-" + matcher.group(1) + ".sock");
    }
}
