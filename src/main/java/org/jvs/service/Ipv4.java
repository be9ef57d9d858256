package org.jvs.service;

/** IPv4 addresses as they live on the hot path: one int in network order (a.b.c.d = a<<24|b<<16|c<<8|d). */
public final class Ipv4 {
    private Ipv4() {
    }

    public static String toString(int address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /** Parses a dotted quad; returns false-by-exception free: throws IllegalArgumentException naming the text. */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected a.b.c.d)");
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected a.b.c.d)");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet " + octet + " > 255)");
            }
            address = (address << 8) | octet;
        }
        return address;
    }
}
