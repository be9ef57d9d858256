package org.jvs.api;

/**
 * A full-NAT local address (LIP) as DPVS's {@code --add-laddr -z LIP -t|-u VIP:PORT [-F IFACE]} gives it.
 *
 * @param address       the LIP
 * @param interfaceName the interface it is used on (-F), "" when not given
 */
public record LocalAddressSpec(IpAddress address, String interfaceName) {

    /** An IPv4 local address. */
    public LocalAddressSpec(int address, String interfaceName) {
        this(IpAddress.ofIpv4(address), interfaceName);
    }

    /** Linux IFNAMSIZ - 1. */
    public static final int INTERFACE_NAME_MAX = 15;

    /** What Linux's dev_valid_name() accepts (jvsadm's -F and the REST API's interface both check with it). */
    public static boolean validInterfaceName(String text) {
        boolean valid = !text.isEmpty() && text.length() <= INTERFACE_NAME_MAX && !text.equals(".")
                && !text.equals("..");
        for (int i = 0; valid && i < text.length(); i++) {
            char c = text.charAt(i);
            valid = c != '/' && c != ':' && !Character.isWhitespace(c);
        }
        return valid;
    }
}
