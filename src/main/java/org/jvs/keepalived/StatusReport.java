package org.jvs.keepalived;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;

import org.jvs.api.ServiceKey;
import org.jvs.check.CheckerStatus;

/**
 * The text of {@code ./jvs status}: per virtual server its quorum and sorry server, per real server whether it
 * is up and since when, what IPVS holds for it, and each checker's last result.
 */
final class StatusReport {

    private StatusReport() {
    }

    static String render(Collection<VirtualServerState> servers, List<CheckerStatus> checkers) {
        StringBuilder text = new StringBuilder();
        if (servers.isEmpty()) {
            text.append("No virtual servers configured\n");
        }
        for (VirtualServerState vs : servers) {
            virtualServer(text, vs);
            for (RealServerState rs : vs.realServers.values()) {
                realServer(text, rs);
                int shown = 0;
                for (CheckerStatus checker : checkers) {
                    if (checker.server().equals(rs.name)) {
                        text.append("    ").append(checker.checker()).append(' ')
                                .append(checker.up() ? "up" : "down").append(" since ").append(time(checker.since()));
                        if (!checker.lastResult().isEmpty()) {
                            text.append(": ").append(checker.lastResult());
                        }
                        text.append('\n');
                        shown++;
                    }
                }
                if (shown == 0 && rs.config.checkers().isEmpty()) {
                    text.append("    no checker: always up\n");
                }
            }
        }
        return text.toString();
    }

    private static void virtualServer(StringBuilder text, VirtualServerState vs) {
        text.append("Virtual server ").append(vs.identity);
        if (!vs.config.group().isEmpty()) {
            text.append(" (");
            for (int i = 0; i < vs.keys.size(); i++) {
                ServiceKey key = vs.keys.get(i);
                text.append(i == 0 ? "" : ", ").append(key.address().withPort(key.port()));
            }
            text.append(')');
        }
        text.append(" ").append(vs.config.scheduler()).append(' ').append(vs.config.method().ipvsadmName())
                .append(": quorum ").append(vs.quorumUp ? "up" : "down")
                .append(" (live weight ").append(vs.liveWeight())
                .append(", quorum ").append(vs.config.quorum())
                .append(", hysteresis ").append(vs.config.hysteresis()).append(')');
        if (vs.sorry != null) {
            text.append(", sorry server ").append(vs.sorry.endpoint())
                    .append(vs.sorry.alive ? " in" : " out");
        }
        text.append('\n');
    }

    private static void realServer(StringBuilder text, RealServerState rs) {
        text.append("  -> ").append(rs.endpoint()).append(' ').append(rs.alive ? "up" : "down")
                .append(" since ").append(time(rs.since)).append(", ");
        if (!rs.set()) {
            text.append("not in IPVS");
        } else {
            text.append("in IPVS with weight ").append(rs.ipvsWeight);
        }
        if (rs.effectiveWeight != rs.config.weight()) {
            text.append(" (dynamic weight ").append(rs.effectiveWeight).append(')');
        }
        if (!rs.alive && !rs.reason.isEmpty()) {
            text.append(": ").append(rs.reason);
        }
        text.append('\n');
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
