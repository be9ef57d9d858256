package org.jvs.ctl;

import java.util.Locale;
import java.util.OptionalInt;

import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceSpec;
import org.jvs.service.Ipv6;

/** The arguments of the options DPVS's ipvsadm adds (-z, -F, --proxy-protocol), checked as one line each. */
final class DpvsValues {
    private final NameResolver names;

    DpvsValues(NameResolver names) {
        this.names = names;
    }

    /**
     * DPVS's -z takes host[:port] and drops the port; a port here is more likely a mistake, so it is refused. An
     * IPv6 local address is written bare, as inet_pton reads it.
     */
    IpAddress localAddress(String text) throws CommandLineException {
        if (text.indexOf(':') != text.lastIndexOf(':')) {
            try {
                return IpAddress.ofIpv6(Ipv6.parse(text));
            } catch (IllegalArgumentException notIpv6) {
                throw IpvsadmParser.usage("illegal local address specified: '" + text
                        + "' (expected an IPv6 address without brackets or port)");
            }
        }
        long address = CNumbers.inetAton(text);
        if (address < 0 && text.indexOf(':') < 0 && !CNumbers.allDigits(text)) {
            OptionalInt named = names.address(text);
            if (named.isPresent()) {
                address = named.getAsInt() & 0xFFFFFFFFL;
            }
        }
        if (address < 0) {
            throw IpvsadmParser.usage("illegal local address specified: '" + text
                    + "' (expected an IPv4 address or a host name from /etc/hosts, without a port)");
        }
        return IpAddress.ofIpv4((int) address);
    }

    /** What Linux's dev_valid_name() accepts. */
    static String interfaceName(String text) throws CommandLineException {
        if (!LocalAddressSpec.validInterfaceName(text)) {
            throw IpvsadmParser.usage("illegal interface name specified: '" + text + "' (expected 1.."
                    + LocalAddressSpec.INTERFACE_NAME_MAX + " characters without '/', ':' or blanks)");
        }
        return text;
    }

    /** DPVS's proxy_protocol_type(), case-insensitive; its "-insecure" variants are refused, not ignored. */
    static int proxyProtocol(String text) throws CommandLineException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "disable" -> {
                return ServiceSpec.PROXY_PROTOCOL_NONE;
            }
            case "v1" -> {
                return 1;
            }
            case "v2" -> {
                return 2;
            }
            case "v1-insecure", "v2-insecure" -> throw IpvsadmParser.usage("proxy protocol '" + text
                    + "' is not supported by JVS (expected disable, v1 or v2: JVS writes the header and never "
                    + "accepts one from clients)");
            default -> throw IpvsadmParser.usage("illegal proxy protocol specified: '" + text
                    + "' (expected disable, v1 or v2)");
        }
    }
}
