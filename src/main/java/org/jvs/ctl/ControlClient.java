package org.jvs.ctl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.jvs.sched.SchedulerRegistry;

/** jvsadm's end of the control socket: checks the command line locally, then has the director run it. */
public final class ControlClient {
    private static final int EXIT_NO_DIRECTOR = 1;
    private static final int EXIT_DENIED = 2;

    private final Path socketPath;

    public ControlClient(Path socketPath) {
        this.socketPath = socketPath;
    }

    /** Sends one command line (and the -R text, else null) and waits for the director's answer. */
    public Reply send(List<String> args, String stdin) throws IOException {
        try (SocketChannel channel = connect()) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            try {
                ControlProtocol.writeRequest(out, new ControlProtocol.Request(args, stdin));
            } catch (IOException refusedBeforeReading) {
                // a director that refuses a peer answers without reading the request and closes: the write may
                // fail with a broken pipe while its answer already waits to be read
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            try {
                return ControlProtocol.readReply(in);
            } catch (IOException e) {
                throw new IOException("the JVS director at " + socketPath + " did not answer: " + e.getMessage(), e);
            }
        }
    }

    private SocketChannel connect() throws IOException {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            throw new NoDirectorException(e);
        }
    }

    /**
     * The whole of jvsadm: returns the exit status after printing what ipvsadm would print. Parses before
     * connecting, as ipvsadm does before talking to the kernel, so that a malformed line fails without a
     * director; {@code socketPath} null means the director of this network namespace. A JVM starts for every
     * command, so this path stays lean: no name tables, no formatter, the registry only for -h.
     */
    public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err, Path socketPath) {
        Command command;
        try {
            command = IpvsadmParser.syntaxOnly().parse(args);
        } catch (CommandLineException e) {
            err.print(e.getMessage());
            err.print('\n');
            return e.exitCode();
        }
        if (command instanceof Command.Help) {
            out.print(HelpText.render(SchedulerRegistry.names()));
            return 0;
        }
        if (command instanceof Command.Version) {
            out.print(HelpText.VERSION);
            return 0;
        }
        Path path = socketPath;
        try {
            if (path == null) {
                path = ControlSocketPath.forThisNetworkNamespace();
            }
            String stdinText = command instanceof Command.Restore
                    ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : null;
            Reply reply = new ControlClient(path).send(args, stdinText);
            out.print(reply.stdout());
            err.print(reply.stderr());
            return reply.exitCode();
        } catch (NoDirectorException e) {
            String reason = e.getCause().getMessage();
            if (reason != null && reason.contains("Permission denied")) {
                err.print(IpvsadmParser.PROGRAM + ": Permission denied (you must be root): " + path + "\n");
                return EXIT_DENIED;
            }
            err.print(IpvsadmParser.PROGRAM + ": no JVS director in this network namespace (" + path
                    + "): start it with ./jvs director\n");
            return EXIT_NO_DIRECTOR;
        } catch (IOException e) {
            err.print(IpvsadmParser.PROGRAM + ": " + e.getMessage() + "\n");
            return EXIT_NO_DIRECTOR;
        }
    }

    /** Nothing listens on the socket path (or it may not be reached). */
    private static final class NoDirectorException extends IOException {
        private static final long serialVersionUID = 1L;

        NoDirectorException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
