package org.jvs.check;

/**
 * UDP_CHECK: sends a datagram; down on an ICMP error (port unreachable) or, with require_reply, on no reply.
 *
 * @param payloadHex     payload as hex, "" for an empty datagram
 * @param minReplyLength min_reply_length, 0 for no minimum
 * @param maxReplyLength max_reply_length, 0 for no maximum
 */
public record UdpCheckSpec(CheckCommon common, String payloadHex, boolean requireReply, int minReplyLength,
                           int maxReplyLength) implements CheckSpec {
    @Override
    public String kind() {
        return "UDP_CHECK";
    }
}
