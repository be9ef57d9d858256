package org.jvs.ctl;

import java.util.ArrayList;
import java.util.List;

import org.jvs.api.ConnectionSnapshot;
import org.jvs.api.ControlException;
import org.jvs.api.DirectorControl;
import org.jvs.api.RealServerSnapshot;
import org.jvs.api.RealServerSpec;
import org.jvs.api.IpAddress;
import org.jvs.api.LocalAddressSpec;
import org.jvs.api.ServiceKey;
import org.jvs.api.ServiceSnapshot;
import org.jvs.api.ServiceSpec;
import org.jvs.api.TimeoutsSpec;
import org.jvs.sched.SchedulerRegistry;
import org.jvs.stats.Stats;

/**
 * An in-memory director answering as the IPVS kernel code (and JVS's core) does, for control-plane tests: jvsadm's
 * and the REST API's.
 */
public class FakeDirector implements DirectorControl {
    public final List<ServiceSnapshot> services = new ArrayList<>();
    public final List<ConnectionSnapshot> connections = new ArrayList<>();
    public final List<String> calls = new ArrayList<>();
    TimeoutsSpec timeouts = new TimeoutsSpec(900, 120, 300);
    final java.util.Map<String, Integer> settings = new java.util.TreeMap<>();

    @Override
    public synchronized void addService(ServiceSpec spec) throws ControlException {
        calls.add("addService " + spec);
        if (index(spec.key()) >= 0) {
            throw new ControlException("Service already exists");
        }
        requireScheduler(spec);
        services.add(new ServiceSnapshot(spec.key(), spec.scheduler(), spec.schedulerFlags(),
                spec.persistenceTimeoutS(), spec.persistenceNetmask(), spec.onePacket(), spec.proxyProtocol(),
                new Stats(), new ArrayList<>(), new ArrayList<>()));
    }

    @Override
    public synchronized void editService(ServiceSpec spec) throws ControlException {
        calls.add("editService " + spec);
        ServiceSnapshot old = require(spec.key(), "No such service");
        requireScheduler(spec);
        services.set(index(spec.key()), new ServiceSnapshot(spec.key(), spec.scheduler(), spec.schedulerFlags(),
                spec.persistenceTimeoutS(), spec.persistenceNetmask(), spec.onePacket(), spec.proxyProtocol(),
                old.stats(), old.realServers(), old.localAddresses()));
    }

    @Override
    public synchronized void deleteService(ServiceKey key) throws ControlException {
        calls.add("deleteService " + key);
        require(key, "No such service");
        services.remove(index(key));
    }

    @Override
    public synchronized void clear() {
        calls.add("clear");
        services.clear();
    }

    @Override
    public synchronized void addRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        calls.add("addRealServer " + service + " " + spec);
        List<RealServerSnapshot> servers = require(service, "Service not defined").realServers();
        if (find(servers, spec.address(), spec.port()) >= 0) {
            throw new ControlException("Destination already exists");
        }
        servers.add(snapshot(spec, new RealServerSnapshot(0, 0, null, 0, 0, 0, 0, 0, 0, new Stats())));
    }

    @Override
    public synchronized void editRealServer(ServiceKey service, RealServerSpec spec) throws ControlException {
        calls.add("editRealServer " + service + " " + spec);
        List<RealServerSnapshot> servers = require(service, "Service not defined").realServers();
        int at = find(servers, spec.address(), spec.port());
        if (at < 0) {
            throw new ControlException("No such destination");
        }
        servers.set(at, snapshot(spec, servers.get(at)));
    }

    @Override
    public synchronized void addLocalAddress(ServiceKey service, LocalAddressSpec spec) throws ControlException {
        calls.add("addLocalAddress " + service + " " + spec);
        List<LocalAddressSpec> locals = require(service, "Service not defined").localAddresses();
        if (findLocal(locals, spec.address()) >= 0) {
            throw new ControlException("Local address already exists");
        }
        locals.add(spec);
    }

    @Override
    public synchronized void deleteLocalAddress(ServiceKey service, IpAddress address) throws ControlException {
        calls.add("deleteLocalAddress " + service + " " + address);
        List<LocalAddressSpec> locals = require(service, "Service not defined").localAddresses();
        int at = findLocal(locals, address);
        if (at < 0) {
            throw new ControlException("No such local address");
        }
        locals.remove(at);
    }

    private static int findLocal(List<LocalAddressSpec> locals, IpAddress address) {
        for (int i = 0; i < locals.size(); i++) {
            if (locals.get(i).address().equals(address)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public synchronized void deleteRealServer(ServiceKey service, IpAddress address, int port) throws ControlException {
        calls.add("deleteRealServer " + service + " " + address.withPort(port));
        List<RealServerSnapshot> servers = require(service, "Service not defined").realServers();
        int at = find(servers, address, port);
        if (at < 0) {
            throw new ControlException("No such destination");
        }
        servers.remove(at);
    }

    @Override
    public synchronized void zero(ServiceKey service) throws ControlException {
        calls.add("zero " + service);
        if (service != null) {
            require(service, "No such service");
        }
    }

    @Override
    public synchronized void setTimeouts(TimeoutsSpec spec) {
        calls.add("setTimeouts " + spec);
        timeouts = new TimeoutsSpec(spec.tcpS() != 0 ? spec.tcpS() : timeouts.tcpS(),
                spec.tcpFinS() != 0 ? spec.tcpFinS() : timeouts.tcpFinS(),
                spec.udpS() != 0 ? spec.udpS() : timeouts.udpS());
    }

    @Override
    public synchronized TimeoutsSpec timeouts() {
        return timeouts;
    }

    @Override
    public synchronized List<ServiceSnapshot> services(ServiceKey service) throws ControlException {
        if (service == null) {
            return List.copyOf(services);
        }
        return List.of(require(service, "No such service"));
    }

    @Override
    public synchronized List<ConnectionSnapshot> connections() {
        return List.copyOf(connections);
    }

    /** As the core's DirectorConfig: the registry decides. */
    private static void requireScheduler(ServiceSpec spec) throws ControlException {
        if (!SchedulerRegistry.names().contains(spec.scheduler())) {
            throw new ControlException("Scheduler or persistence engine not found");
        }
    }

    private ServiceSnapshot require(ServiceKey key, String message) throws ControlException {
        int at = index(key);
        if (at < 0) {
            throw new ControlException(message);
        }
        return services.get(at);
    }

    private int index(ServiceKey key) {
        for (int i = 0; i < services.size(); i++) {
            if (services.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static int find(List<RealServerSnapshot> servers, IpAddress address, int port) {
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).address().equals(address) && servers.get(i).port() == port) {
                return i;
            }
        }
        return -1;
    }

    private static RealServerSnapshot snapshot(RealServerSpec spec, RealServerSnapshot counters) {
        return new RealServerSnapshot(spec.address(), spec.port(), spec.method(), spec.weight(),
                spec.upperThreshold(), spec.lowerThreshold(), counters.activeConnections(),
                counters.inactiveConnections(), counters.persistentConnections(), counters.stats(), spec.tunnel());
    }

    @Override
    public synchronized void setSetting(String name, int value) throws ControlException {
        calls.add("setSetting " + name + "=" + value);
        if (!name.equals("expire_nodest_conn") && !name.equals("expire_quiescent_template")) {
            throw new ControlException("No such setting '" + name + "'");
        }
        settings.put(name, value);
    }
}
