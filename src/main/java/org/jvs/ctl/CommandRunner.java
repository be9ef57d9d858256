package org.jvs.ctl;

import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.SyncDaemonControl;

/**
 * Runs one jvsadm command line against a director: parses it, calls {@link DirectorControl} (and
 * {@link SyncDaemonControl} for the sync-daemon commands) and renders the answer, with ipvsadm's exit codes
 * (2 bad command line, 255 refused change, 1 failed listing).
 */
public final class CommandRunner {
    private static final int EXIT_REFUSED = 255;
    private static final int EXIT_LIST_FAILED = 1;

    private final DirectorControl control;
    private final SyncDaemonControl syncDaemons;
    private final IpvsadmParser parser;
    private final IpvsadmFormatter formatter;

    /** A director without connection sync: --start-daemon and --stop-daemon are refused, -L --daemon is empty. */
    public CommandRunner(DirectorControl control, IpvsadmParser parser, IpvsadmFormatter formatter) {
        this(control, null, parser, formatter);
    }

    /** {@code syncDaemons} may be null, for a director without connection sync. */
    public CommandRunner(DirectorControl control, SyncDaemonControl syncDaemons, IpvsadmParser parser,
                         IpvsadmFormatter formatter) {
        this.control = control;
        this.syncDaemons = syncDaemons;
        this.parser = parser;
        this.formatter = formatter;
    }

    /** This runner with {@code syncDaemons} (null for none) in place of its own. */
    public CommandRunner withSyncDaemons(SyncDaemonControl syncDaemons) {
        return new CommandRunner(control, syncDaemons, parser, formatter);
    }

    /** {@code stdin} is the text -R restores, null when there is none. Never throws. */
    public Reply run(List<String> args, String stdin) {
        Command command;
        try {
            command = parser.parse(args);
        } catch (CommandLineException e) {
            return Reply.error(e.exitCode(), e.getMessage());
        }
        try {
            return execute(command, stdin);
        } catch (RuntimeException e) {
            return Reply.error(EXIT_LIST_FAILED, IpvsadmParser.PROGRAM + ": internal error in the director: " + e);
        }
    }

    private Reply execute(Command command, String stdin) {
        try {
            switch (command) {
                case Command.Help help -> {
                    return Reply.output(HelpText.render(parser.schedulerNames()));
                }
                case Command.Version version -> {
                    return Reply.output(HelpText.VERSION);
                }
                case Command.ListServices list -> {
                    return Reply.output(listServices(list));
                }
                case Command.ListConnections list -> {
                    return Reply.output(formatter.connections(control.connections(), list.format()));
                }
                case Command.ListTimeouts list -> {
                    return Reply.output(formatter.timeouts(control.timeouts()));
                }
                case Command.ListDaemons list -> {
                    // without connection sync, what the kernel answers when no daemon runs
                    return Reply.output(syncDaemons == null ? "" : formatter.daemons(syncDaemons.daemons()));
                }
                case Command.ListLocalAddresses list -> {
                    return Reply.output(formatter.localAddresses(control.services(list.service())));
                }
                case Command.Save save -> {
                    return Reply.output(formatter.save(control.services(null), save.format()));
                }
                default -> {
                    // the listings above fail with status 1; everything below is a change
                }
            }
        } catch (ControlException e) {
            return Reply.error(EXIT_LIST_FAILED, e.getMessage());
        }
        if (command instanceof Command.Restore) {
            RestoreScript.Failure failure = RestoreScript.run(stdin == null ? "" : stdin, "stdin", control, parser);
            return failure == null ? Reply.output("") : Reply.error(failure.exitCode(), failure.message());
        }
        try {
            if (!applySyncDaemonChange(command)) {
                applyChange(command, control);
            }
            return Reply.output("");
        } catch (ControlException e) {
            return Reply.error(EXIT_REFUSED, e.getMessage());
        }
    }

    /** --start-daemon and --stop-daemon; false when {@code command} is neither. */
    private boolean applySyncDaemonChange(Command command) throws ControlException {
        switch (command) {
            case Command.StartDaemon c -> requireSyncDaemons("--start-daemon " + c.spec().role().word())
                    .startDaemon(c.spec());
            case Command.StopDaemon c -> requireSyncDaemons("--stop-daemon " + c.role().word()).stopDaemon(c.role());
            default -> {
                return false;
            }
        }
        return true;
    }

    private SyncDaemonControl requireSyncDaemons(String given) throws ControlException {
        if (syncDaemons == null) {
            throw new ControlException("'" + given + "' refused: this director runs without connection sync "
                    + "(expected a director started with a sync daemon)");
        }
        return syncDaemons;
    }

    private String listServices(Command.ListServices list) throws ControlException {
        if (list.service() == null) {
            return formatter.listAll(control.services(null), list.format());
        }
        List<ServiceSnapshot> services = control.services(list.service());
        if (services.isEmpty()) {
            throw new ControlException("No such service");
        }
        return formatter.listService(services.getFirst(), list.format());
    }

    /** Applies a command that changes the table; false when {@code command} is not one (a listing, -R, -h). */
    static boolean applyChange(Command command, DirectorControl control) throws ControlException {
        switch (command) {
            case Command.AddService c -> control.addService(c.spec());
            case Command.EditService c -> control.editService(c.spec());
            case Command.DeleteService c -> control.deleteService(c.key());
            case Command.Clear c -> control.clear();
            case Command.AddRealServer c -> control.addRealServer(c.service(), c.server());
            case Command.EditRealServer c -> control.editRealServer(c.service(), c.server());
            case Command.DeleteRealServer c -> control.deleteRealServer(c.service(), c.address(), c.port());
            case Command.AddLocalAddress c -> control.addLocalAddress(c.service(), c.localAddress());
            case Command.DeleteLocalAddress c -> control.deleteLocalAddress(c.service(), c.address());
            case Command.Zero c -> control.zero(c.service());
            case Command.SetTimeouts c -> control.setTimeouts(c.timeouts());
            case Command.SetSetting c -> control.setSetting(c.name(), c.value());
            default -> {
                return false;
            }
        }
        return true;
    }
}
