package org.jvs.keepalived;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.RealServerSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;

/**
 * A director that keeps what IPVS would hold, refuses as IPVS does, and records every call in a short text
 * form ("add 192.0.2.11:80 w1 to TCP 203.0.113.10:80").
 */
final class RecordingDirector implements DirectorControl {
    /** Refuse IPv6 services as JVS's director does today. */
    boolean refuseIpv6;
    final List<String> calls = new ArrayList<>();
    /** Every real server spec added or edited, in order. */
    final List<RealServerSpec> realServerSpecs = new ArrayList<>();
    /** service -> "RIP:PORT" -> weight */
    final Map<ServiceKey, Map<String, Integer>> ipvs = new LinkedHashMap<>();
    final Map<ServiceKey, ServiceSpec> specs = new LinkedHashMap<>();
    final Map<ServiceKey, List<LocalAddressSpec>> localAddresses = new LinkedHashMap<>();
    boolean refuseLocalAddresses;

    @Override
    public void addService(ServiceSpec spec) throws ControlException {
        calls.add("addService " + spec.key());
        if (refuseIpv6 && !spec.key().address().isIpv4()) {
            // as the core does until its data plane forwards IPv6
            throw ControlException.familyNotForwarded(spec.key().address().withPort(spec.key().port()),
                    spec.key().address().family(), "virtual services", IpAddress.Family.IPV4);
        }
        if (specs.containsKey(spec.key())) {
            throw new ControlException("Service already exists");
        }
        specs.put(spec.key(), spec);
        ipvs.put(spec.key(), new LinkedHashMap<>());
        localAddresses.put(spec.key(), new ArrayList<>());
    }

    @Override
    public void editService(ServiceSpec spec) throws ControlException {
        calls.add("editService " + spec.key());
        service(spec.key());
        specs.put(spec.key(), spec);
    }

    @Override
    public void deleteService(ServiceKey key) throws ControlException {
        calls.add("deleteService " + key);
        service(key);
        specs.remove(key);
        ipvs.remove(key);
        localAddresses.remove(key);
    }

    @Override
    public void clear() {
        calls.add("clear");
        specs.clear();
        ipvs.clear();
    }

    @Override
    public void addRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        String rs = endpoint(spec.address(), spec.port());
        calls.add("add " + rs + " w" + spec.weight() + " to " + service);
        realServerSpecs.add(spec);
        if (service(service).putIfAbsent(rs, spec.weight()) != null) {
            throw new ControlException("Destination already exists");
        }
    }

    @Override
    public void editRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        String rs = endpoint(spec.address(), spec.port());
        calls.add("edit " + rs + " w" + spec.weight() + " in " + service);
        realServerSpecs.add(spec);
        if (service(service).replace(rs, spec.weight()) == null) {
            throw new ControlException("No such destination");
        }
    }

    @Override
    public void deleteRealServer(ServiceKey service, IpAddress address, int port) throws ControlException {
        String rs = endpoint(address, port);
        calls.add("delete " + rs + " from " + service);
        if (service(service).remove(rs) == null) {
            throw new ControlException("No such destination");
        }
    }

    @Override
    public void addLocalAddress(ServiceKey service, LocalAddressSpec spec) throws ControlException {
        calls.add("addLocalAddress " + spec.address() + " to " + service);
        if (refuseLocalAddresses) {
            throw new ControlException("Local addresses are not implemented yet");
        }
        service(service);
        localAddresses.get(service).add(spec);
    }

    @Override
    public void deleteLocalAddress(ServiceKey service, IpAddress address) throws ControlException {
        calls.add("deleteLocalAddress " + address + " from " + service);
        service(service);
        localAddresses.get(service).removeIf(laddr -> laddr.address().equals(address));
    }

    @Override
    public void zero(ServiceKey service) {
        calls.add("zero");
    }

    @Override
    public void setTimeouts(TimeoutsSpec timeouts) {
        calls.add("setTimeouts");
    }

    @Override
    public TimeoutsSpec timeouts() {
        return new TimeoutsSpec(900, 120, 300);
    }

    @Override
    public void setSetting(String name, int value) {
        calls.add("setSetting");
    }

    @Override
    public List<ServiceSnapshot> services(ServiceKey service) {
        return List.of();
    }

    @Override
    public List<ConnectionSnapshot> connections() {
        return List.of();
    }

    /** What IPVS holds for one service: "RIP:PORT" -> weight. */
    Map<String, Integer> servers(ServiceKey key) {
        return ipvs.get(key);
    }

    List<String> takeCalls() {
        List<String> taken = List.copyOf(calls);
        calls.clear();
        return taken;
    }

    private Map<String, Integer> service(ServiceKey key) throws ControlException {
        Map<String, Integer> servers = ipvs.get(key);
        if (servers == null) {
            throw new ControlException("Service not defined");
        }
        return servers;
    }

    private static String endpoint(IpAddress address, int port) {
        return address.withPort(port);
    }
}
