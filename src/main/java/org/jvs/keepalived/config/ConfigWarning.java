package org.jvs.keepalived.config;

/** A keyword JVS reads but does not implement, e.g. "vrrp_instance is not implemented by JVS; ignored". */
public record ConfigWarning(ConfigLocation where, String keyword, String message) {
    @Override
    public String toString() {
        return where + ": warning: " + message;
    }
}
