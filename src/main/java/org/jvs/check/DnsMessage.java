package org.jvs.check;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The little of RFC 1035 DNS_CHECK needs: one recursive query for a name and type, and in the response its
 * id, whether it is a response, its RCODE and how many answers carry the type asked.
 */
final class DnsMessage {
    static final int HEADER_LENGTH = 12;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_RD = 0x0100;
    private static final int RCODE_MASK = 0x000F;
    private static final int CLASS_IN = 1;
    private static final int POINTER = 0xC0;
    private static final Map<String, Integer> TYPES = Map.of(
            "A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15, "TXT", 16, "AAAA", 28);
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private DnsMessage() {
    }

    /** The type code of keepalived's type keyword (A, NS, CNAME, SOA, MX, TXT, AAAA). */
    static int typeCode(String type) {
        Integer code = TYPES.get(type.toUpperCase(Locale.ROOT));
        if (code == null) {
            throw new IllegalArgumentException("DNS_CHECK type '" + type + "' is not one of A, NS, CNAME, SOA, MX, TXT, AAAA");
        }
        return code;
    }

    static String rcodeName(int rcode) {
        return rcode < RCODES.length ? RCODES[rcode] : Integer.toString(rcode);
    }

    /** A query with Recursion Desired, as keepalived sends it. "." or "" is the root. */
    static byte[] query(int id, int type, String name) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + name.length() + 2 + 4);
        out.putShort((short) id).putShort((short) FLAG_RD).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > 63) {
                throw new IllegalArgumentException("DNS_CHECK name '" + name + "' has a label longer than 63 characters");
            }
            out.put((byte) bytes.length).put(bytes);
        }
        out.put((byte) 0).putShort((short) type).putShort((short) CLASS_IN);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    static int id(byte[] message) {
        return u16(message, 0);
    }

    static boolean isResponse(byte[] message) {
        return (u16(message, 2) & FLAG_QR) != 0;
    }

    static int rcode(byte[] message) {
        return u16(message, 2) & RCODE_MASK;
    }

    /** Answers of {@code type}; -1 when the message is cut short. */
    static int answersOfType(byte[] message, int length, int type) {
        int questions = u16(message, 4);
        int answers = u16(message, 6);
        int at = HEADER_LENGTH;
        for (int i = 0; i < questions; i++) {
            at = skipName(message, length, at) + 4;
            if (at < 0 || at > length) {
                return -1;
            }
        }
        int matching = 0;
        for (int i = 0; i < answers; i++) {
            at = skipName(message, length, at);
            if (at < 0 || at + 10 > length) {
                return -1;
            }
            if (u16(message, at) == type) {
                matching++;
            }
            at += 10 + u16(message, at + 8);
        }
        return at > length ? -1 : matching;
    }

    /** The offset after a (possibly compressed) name, or -1 past the end. */
    private static int skipName(byte[] message, int length, int at) {
        while (at < length) {
            int labelLength = message[at] & 0xFF;
            if (labelLength == 0) {
                return at + 1;
            }
            if ((labelLength & POINTER) == POINTER) {
                return at + 2;
            }
            at += 1 + labelLength;
        }
        return -1;
    }

    private static int u16(byte[] message, int at) {
        return (message[at] & 0xFF) << 8 | message[at + 1] & 0xFF;
    }
}
