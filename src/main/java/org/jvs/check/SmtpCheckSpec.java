package org.jvs.check;

/**
 * SMTP_CHECK: up when the server greets with 220, answers HELO with 250 and QUIT is sent.
 *
 * @param heloName helo_name (keepalived: the host name)
 */
public record SmtpCheckSpec(CheckCommon common, String heloName) implements CheckSpec {
    @Override
    public String kind() {
        return "SMTP_CHECK";
    }
}
