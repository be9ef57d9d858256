package org.jvs.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import org.jvs.api.IpAddress;
import org.jvs.service.Protocol;

/**
 * {@link NameResolver} over the contents of /etc/hosts and /etc/services, answering as glibc's "files" source
 * does: the first matching line wins, and a line's first name is the canonical one.
 */
public final class HostsAndServices implements NameResolver {
    private static final Path HOSTS = Path.of("/etc/hosts");
    private static final Path SERVICES = Path.of("/etc/services");

    private final Map<String, Integer> addressByName = new HashMap<>();
    /** IPv4 and IPv6 lines, as gethostbyaddr reads both; by name only IPv4 ones, as ipvsadm's host_to_addr. */
    private final Map<IpAddress, String> nameByAddress = new HashMap<>();
    /** Keys are "name/tcp" and "port/tcp". */
    private final Map<String, Integer> portByName = new HashMap<>();
    private final Map<String, String> nameByPort = new HashMap<>();

    private HostsAndServices() {
    }

    /** Reads the system's tables; a missing or unreadable file counts as empty. */
    public static HostsAndServices system() {
        return parse(readOrEmpty(HOSTS), readOrEmpty(SERVICES));
    }

    /** Builds the tables from texts in hosts(5) and services(5) format. */
    public static HostsAndServices parse(String hostsText, String servicesText) {
        HostsAndServices tables = new HostsAndServices();
        for (String line : hostsText.split("\n")) {
            String[] fields = fields(line);
            if (fields.length < 2) {
                continue;
            }
            IpAddress address;
            try {
                address = IpAddress.parse(fields[0]);
            } catch (IllegalArgumentException notAnAddress) {
                continue;
            }
            tables.nameByAddress.putIfAbsent(address, fields[1]);
            for (int i = 1; i < fields.length && address.isIpv4(); i++) {
                tables.addressByName.putIfAbsent(fields[i], address.ipv4());
            }
        }
        for (String line : servicesText.split("\n")) {
            String[] fields = fields(line);
            if (fields.length < 2) {
                continue;
            }
            int slash = fields[1].indexOf('/');
            if (slash < 0) {
                continue;
            }
            String protocol = fields[1].substring(slash + 1);
            long port = CNumbers.stringToNumber(fields[1].substring(0, slash), 0, 65535);
            if (port < 0) {
                continue;
            }
            tables.nameByPort.putIfAbsent(port + "/" + protocol, fields[0]);
            for (int i = 0; i < fields.length; i++) {
                if (i != 1) {
                    tables.portByName.putIfAbsent(fields[i] + "/" + protocol, (int) port);
                }
            }
        }
        return tables;
    }

    @Override
    public OptionalInt address(String hostName) {
        Integer address = addressByName.get(hostName);
        return address == null ? OptionalInt.empty() : OptionalInt.of(address);
    }

    @Override
    public String hostName(IpAddress address) {
        return nameByAddress.get(address);
    }

    @Override
    public OptionalInt port(String serviceName, int protocol) {
        Integer port = portByName.get(serviceName + "/" + protocolName(protocol));
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    @Override
    public String serviceName(int port, int protocol) {
        return nameByPort.get(port + "/" + protocolName(protocol));
    }

    private static String protocolName(int protocol) {
        return switch (protocol) {
            case Protocol.TCP -> "tcp";
            case Protocol.UDP -> "udp";
            default -> "?";
        };
    }

    private static String[] fields(String line) {
        int hash = line.indexOf('#');
        String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
        return content.isEmpty() ? new String[0] : content.split("\\s+");
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException unreadable) {
            return "";
        }
    }
}
