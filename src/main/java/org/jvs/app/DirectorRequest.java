package org.jvs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.jvs.ctl.ControlClient;
import org.jvs.ctl.ControlServer;
import org.jvs.ctl.ControlSocketPath;
import org.jvs.ctl.Reply;

/** {@code ./jvs reload}, {@code ./jvs status}, {@code ./jvs counters} and {@code ./jvs explain}: asks the director of this network namespace over its socket. */
final class DirectorRequest {
    private static final int EXIT_NO_DIRECTOR = 1;
    private static final int EXIT_USAGE = 2;

    private DirectorRequest() {
    }

    static int run(String command, String[] args, PrintStream out, PrintStream err) {
        return run(command, args, false, out, err);
    }

    /** As {@link #run(String, String[], PrintStream, PrintStream)}; with {@code passArgs} the director reads them. */
    static int run(String command, String[] args, boolean passArgs, PrintStream out, PrintStream err) {
        if (args.length != 0 && !passArgs) {
            err.println("jvs " + command + ": unexpected argument '" + args[0] + "' (expected none)");
            return EXIT_USAGE;
        }
        Path socket;
        try {
            socket = ControlSocketPath.forThisNetworkNamespace();
        } catch (IOException e) {
            err.println("jvs " + command + ": " + e.getMessage());
            return EXIT_NO_DIRECTOR;
        }
        return run(command, List.of(args), socket, out, err);
    }

    static int run(String command, Path socket, PrintStream out, PrintStream err) {
        return run(command, List.of(), socket, out, err);
    }

    static int run(String command, List<String> args, Path socket, PrintStream out, PrintStream err) {
        Reply reply;
        try {
            reply = new ControlClient(socket).send(ControlServer.namedRequest(command, args), null);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            if (reason.contains("Permission denied")) {
                err.println("jvs " + command + ": Permission denied (you must be root): " + socket);
            } else {
                err.println("jvs " + command + ": no JVS director in this network namespace (" + socket
                        + "): start it with ./jvs director -f FILE");
            }
            return EXIT_NO_DIRECTOR;
        }
        out.print(reply.stdout());
        err.print(reply.stderr());
        return reply.exitCode();
    }
}
