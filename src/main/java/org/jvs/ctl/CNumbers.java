package org.jvs.ctl;

/**
 * The C library number and address parsers ipvsadm relies on, reproduced so that jvsadm accepts exactly the
 * spellings ipvsadm accepts ("+80", " 80", "10.1" = 10.0.0.1, "0x0a000001").
 */
final class CNumbers {
    private CNumbers() {
    }

    /** ipvsadm's string_to_number(): strtol base 10, whole text consumed, within [min, max]; -1 otherwise. */
    static long stringToNumber(String text, long min, long max) {
        int i = skipSpaces(text, 0);
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        while (i < text.length() && isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > Integer.MAX_VALUE * 4L) {
                return -1;
            }
            i++;
        }
        if (i == digitsStart || i != text.length()) {
            return -1;
        }
        value = negative ? -value : value;
        return value >= min && value <= max ? value : -1;
    }

    /**
     * glibc inet_aton(): one to four parts, each decimal, octal (leading 0) or hex (0x), the last filling the
     * remaining bytes. Returns the address as an unsigned value, or -1 when the text is not an address.
     */
    static long inetAton(String text) {
        long[] parts = new long[4];
        int count = 0;
        int i = 0;
        while (true) {
            if (i >= text.length() || !isDigit(text.charAt(i)) || count == 4) {
                return -1;
            }
            int base = 10;
            if (text.charAt(i) == '0') {
                base = 8;
                i++;
                if (i < text.length() && (text.charAt(i) == 'x' || text.charAt(i) == 'X')) {
                    base = 16;
                    i++;
                }
            }
            long value = 0;
            while (i < text.length() && Character.digit(text.charAt(i), base) >= 0 && isAsciiAlnum(text.charAt(i))) {
                value = value * base + Character.digit(text.charAt(i), base);
                if (value > 0xFFFFFFFFL) {
                    return -1;
                }
                i++;
            }
            parts[count++] = value;
            if (i < text.length() && text.charAt(i) == '.') {
                i++;
                continue;
            }
            break;
        }
        // glibc stops at the first white space and ignores whatever follows it
        if (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            return -1;
        }
        long[] limits = {0xFFFFFFFFL, 0xFFFFFFL, 0xFFFFL, 0xFFL};
        long last = parts[count - 1];
        if (last > limits[count - 1]) {
            return -1;
        }
        long address = last;
        for (int p = 0; p < count - 1; p++) {
            if (parts[p] > 0xFF) {
                return -1;
            }
            address |= parts[p] << (24 - 8 * p);
        }
        return address;
    }

    /**
     * glibc inet_pton(AF_INET): exactly four decimal parts of at most 255, no leading zeros, nothing else. Returns
     * the address as an unsigned value, or -1 when the text is not one.
     */
    static long inetPton4(String text) {
        long address = 0;
        int parts = 0;
        int i = 0;
        while (parts < 4) {
            int start = i;
            int octet = 0;
            while (i < text.length() && isDigit(text.charAt(i)) && i - start < 3) {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            boolean leadingZero = i - start > 1 && text.charAt(start) == '0';
            if (i == start || leadingZero || octet > 255) {
                return -1;
            }
            address = address << 8 | octet;
            parts++;
            if (parts < 4) {
                if (i >= text.length() || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == text.length() ? address : -1;
    }

    /** ipvsadm's str_is_digit(): true for the empty text and for all-digit texts. */
    static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && " \t\n\r\f\u000b".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiAlnum(char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }
}
