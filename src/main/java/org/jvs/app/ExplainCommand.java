package org.jvs.app;

import java.util.List;

import org.jvs.api.ControlException;
import org.jvs.core.FlowExplanation;
import org.jvs.ctl.NamedCommand;
import org.jvs.ctl.Reply;

/**
 * {@code ./jvs explain -t|-u VIP:PORT --client ADDR[:PORT]}: what the running director did with that client's
 * connection, or would do with a new one, step by step ({@link FlowExplanation}); asked of the worker owning the
 * flow as one queued control call, which changes nothing.
 */
final class ExplainCommand implements NamedCommand {
    static final String NAME = "explain";
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    /** Where explanations come from: the data-plane workers ({@code DataPlaneWorkers::explain}). */
    @FunctionalInterface
    interface Source {
        FlowExplanation explain(int protocol, int client, int clientPort, int vip, int vport) throws ControlException;
    }

    private final Source source;

    ExplainCommand(Source source) {
        this.source = source;
    }

    @Override
    public Reply run(List<String> args) {
        FlowSelector flow;
        try {
            flow = FlowSelector.parse(args, true);
            if (!flow.rest().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument '" + flow.rest().getFirst()
                        + "' (expected -t|-u VIP:PORT --client ADDR[:PORT])");
            }
        } catch (IllegalArgumentException bad) {
            return new Reply(EXIT_USAGE, "", "jvs explain: " + bad.getMessage() + "\n");
        }
        try {
            FlowExplanation explanation = source.explain(flow.protocol(), flow.client(), flow.clientPort(), flow.vip(),
                    flow.vport());
            return new Reply(0, explanation.text(), "");
        } catch (ControlException failed) {
            return new Reply(EXIT_FAILED, "", "jvs explain: " + failed.getMessage() + "\n");
        }
    }
}
