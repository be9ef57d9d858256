package org.jvs.api;

/**
 * A full-NAT local address (LIP) as DPVS's {@code --add-laddr -z LIP -t|-u VIP:PORT [-F IFACE]} gives it.
 *
 * @param address       the LIP, IPv4 as an int
 * @param interfaceName the interface it is used on (-F), "" when not given
 */
public record LocalAddressSpec(int address, String interfaceName) {
}
