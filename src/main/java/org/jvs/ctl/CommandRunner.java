package org.jvs.ctl;

import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.ServiceSnapshot;

/**
 * Runs one jvsadm command line against a director: parses it, calls {@link DirectorControl} and renders the
 * answer, with ipvsadm's exit codes (2 bad command line, 255 refused change, 1 failed listing).
 */
public final class CommandRunner {
    private static final int EXIT_REFUSED = 255;
    private static final int EXIT_LIST_FAILED = 1;

    private final DirectorControl control;
    private final IpvsadmParser parser;
    private final IpvsadmFormatter formatter;

    public CommandRunner(DirectorControl control, IpvsadmParser parser, IpvsadmFormatter formatter) {
        this.control = control;
        this.parser = parser;
        this.formatter = formatter;
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
                    return Reply.output("");
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
            applyChange(command, control);
            return Reply.output("");
        } catch (ControlException e) {
            return Reply.error(EXIT_REFUSED, e.getMessage());
        }
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
