package org.jvs.keepalived.config;

/**
 * The global_defs JVS uses.
 *
 * @param routerId     router_id, "" when not given (keepalived then uses the host name)
 * @param scriptUser   script_user, "" for the director's own user
 */
public record GlobalDefs(String routerId, String scriptUser) {
    public static final GlobalDefs DEFAULT = new GlobalDefs("", "");
}
