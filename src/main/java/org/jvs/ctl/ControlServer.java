package org.jvs.ctl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import org.jvs.api.DirectorControl;
import org.jvs.api.SyncDaemonControl;
import org.jvs.log.Log;
import org.jvs.sched.SchedulerRegistry;

/**
 * The director's end of the control socket: accepts jvsadm connections from root only, runs one command line
 * per connection and answers with its exit code and output. Commands run one at a time, so a -R script is
 * not interleaved with another jvsadm.
 */
public final class ControlServer implements AutoCloseable {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int EXIT_DENIED = 2;
    private static final int EXIT_UNKNOWN_COMMAND = 2;
    /**
     * First word of a request for a {@link NamedCommand}; jvsadm's own parser refuses it, so a jvsadm command
     * line can never be taken for one.
     */
    private static final String NAMED_COMMAND = "--jvs-named-command";

    /** Replaced only before {@link #start}, whose thread start publishes it to the acceptor. */
    private CommandRunner runner;
    private final Path socketPath;
    private final Predicate<String> peerUserAllowed;
    private final ReentrantLock oneCommandAtATime = new ReentrantLock();
    private final Map<String, NamedCommand> namedCommands = new ConcurrentHashMap<>();
    private volatile Log log = Log.toStderr(Log.Level.WARNING, "control");
    private ServerSocketChannel channel;
    private Thread acceptor;
    private volatile boolean closed;

    /** Knows the schedulers of {@link SchedulerRegistry}. */
    public ControlServer(DirectorControl control, Path socketPath) {
        this(control, socketPath, SchedulerRegistry.names());
    }

    public ControlServer(DirectorControl control, Path socketPath, List<String> schedulerNames) {
        this(new CommandRunner(control, new IpvsadmParser(schedulerNames), new IpvsadmFormatter(HostsAndServices.system())),
                socketPath, "root"::equals);
    }

    ControlServer(CommandRunner runner, Path socketPath, Predicate<String> peerUserAllowed) {
        this.runner = runner;
        this.socketPath = socketPath;
        this.peerUserAllowed = peerUserAllowed;
    }

    /**
     * Gives jvsadm's --start-daemon, --stop-daemon and -L --daemon a connection sync to act on; without one they
     * are refused and list nothing. Call before {@link #start}.
     */
    /**
     * The director's log: warnings about the socket, and at debug level one line per command with its exit status
     * (an audit trail of every change); stderr, warnings only, until set.
     */
    public ControlServer log(Log log) {
        this.log = log;
        return this;
    }

    public ControlServer syncDaemons(SyncDaemonControl syncDaemons) {
        if (channel != null) {
            throw new IllegalStateException("the control socket " + socketPath + " is already started; expected "
                    + "syncDaemons() before start()");
        }
        runner = runner.withSyncDaemons(syncDaemons);
        return this;
    }

    /** Adds a command that {@link #namedRequest} reaches; a later registration of the name replaces it. */
    public void register(String name, NamedCommand command) {
        namedCommands.put(name, command);
    }

    /** The arguments to {@link ControlClient#send} that run the named command with {@code args}. */
    public static List<String> namedRequest(String name, List<String> args) {
        List<String> request = new ArrayList<>(args.size() + 2);
        request.add(NAMED_COMMAND);
        request.add(name);
        request.addAll(args);
        return List.copyOf(request);
    }

    public Path socketPath() {
        return socketPath;
    }

    /**
     * Creates the socket's directory (0700) if needed, replaces a stale socket left by a dead director, binds
     * and starts accepting. Refuses when another director already answers on the path.
     */
    public void start() throws IOException {
        Path directory = socketPath.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(directory, OWNER_ONLY);
        }
        removeStaleSocket();
        channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socketPath));
        acceptor = Thread.ofPlatform().daemon().name("jvs-control").start(this::acceptLoop);
    }

    private void removeStaleSocket() throws IOException {
        if (!Files.exists(socketPath)) {
            return;
        }
        if (answers(socketPath)) {
            throw new IOException("another JVS director already listens on " + socketPath);
        }
        Files.delete(socketPath);
    }

    private static boolean answers(Path path) {
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
            return true;
        } catch (IOException nobodyListens) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.warning("control socket " + socketPath + ": accept failed: " + e.getMessage());
                continue;
            }
            Thread.ofVirtual().name("jvs-control-client").start(() -> serve(client));
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)));
            Reply reply;
            if (!peerAllowed(client)) {
                // answered before reading, so that nobody but root can make the director buffer anything
                reply = Reply.error(EXIT_DENIED, "Permission denied (you must be root)");
            } else {
                ControlProtocol.Request request = ControlProtocol.readRequest(in);
                oneCommandAtATime.lock();
                try {
                    reply = run(request);
                } finally {
                    oneCommandAtATime.unlock();
                }
                if (log.enabled(Log.Level.DEBUG)) {
                    log.debug(describe(request.args()) + ": exit " + reply.exitCode()
                            + (reply.exitCode() == 0 ? "" : ", " + reply.stderr().strip().lines().findFirst().orElse("")));
                }
            }
            ControlProtocol.writeReply(out, reply);
        } catch (IOException clientGoneOrGarbled) {
            // nobody is left to tell; the connection is closed and the director carries on
        }
    }

    private Reply run(ControlProtocol.Request request) {
        List<String> args = request.args();
        if (args.size() < 2 || !args.get(0).equals(NAMED_COMMAND)) {
            return runner.run(args, request.stdin());
        }
        NamedCommand command = namedCommands.get(args.get(1));
        if (command == null) {
            return Reply.error(EXIT_UNKNOWN_COMMAND, "jvs: this director has no command '" + args.get(1) + "'");
        }
        try {
            return command.run(args.subList(2, args.size()));
        } catch (RuntimeException e) {
            return Reply.error(1, "jvs: internal error in the director: " + e);
        }
    }

    /** {@code jvsadm -a -t ...} or {@code jvs counters ...}, as the operator typed it. */
    private static String describe(List<String> args) {
        if (args.size() >= 2 && args.get(0).equals(NAMED_COMMAND)) {
            return "jvs " + String.join(" ", args.subList(1, args.size()));
        }
        return "jvsadm " + String.join(" ", args);
    }

    private boolean peerAllowed(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peerUserAllowed.test(peer.user().getName());
    }

    /** Stops accepting and removes the socket file; commands already running finish. */
    @Override
    public void close() {
        closed = true;
        try {
            if (channel != null) {
                channel.close();
            }
            if (acceptor != null) {
                acceptor.join(1000);
            }
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            log.warning("control socket " + socketPath + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
