package org.jvs.vrrp;

import java.util.Objects;

import org.jvs.api.IpAddress;

/**
 * One vrrp_instance's state machine (RFC 3768 / RFC 5798 §6.4) as keepalived 2.2.7 runs it: vrrp_init_state and
 * vrrp_init_instance_sands (vrrp_scheduler.c) at start, vrrp_state_backup and vrrp_state_master_rx (vrrp.c) for a
 * received advert, vrrp_dispatcher_read_timeout for the timers, down_instance / try_up_instance for faults.
 * <p>
 * Pure: it owns no clock, thread or socket. The caller passes the time in nanoseconds (any monotonic origin,
 * {@link System#nanoTime} will do; deadlines compare by difference, so wrap-around is harmless), calls
 * {@link #tick} at {@link #nextDeadlineNs}, hands over adverts that passed {@link VrrpAdvert#validate} and match
 * this instance's version, VRID, addresses and password (keepalived's per-instance checks), and carries out the
 * {@link Actions}. Not thread-safe: drive an instance from one thread.
 * <p>
 * Times are computed in keepalived's microseconds with its integer arithmetic (TIMER_HZ), then scaled to
 * nanoseconds, so the deadlines here equal keepalived's to the nanosecond.
 */
public final class VrrpInstance {
    public enum State { INIT, BACKUP, MASTER, FAULT, STOP }

    /** What a received advert did, for counters and logs. */
    public enum Reception {
        /** INIT, FAULT or STOP: keepalived ignores adverts there. */
        NOT_LISTENING,
        /** v2: the advert's interval is not ours; dropped ("to prevent concurrent VRID running"). */
        INTERVAL_MISMATCH,
        /** A master stepping down. BACKUP: master down timer cut to the skew time. MASTER: answered at once. */
        PRIORITY_ZERO,
        /** BACKUP: a master we defer to; master down timer restarted. */
        MASTER_ALIVE,
        /** BACKUP with preemption: a lower priority master, ignored so that our master down timer runs out. */
        LOWER_PRIORITY_DISCARDED,
        /** MASTER: another master with lower priority (or equal and a lower address); we stay, and answer. */
        LOWER_PRIORITY_MASTER,
        /** MASTER: an advert at our priority from our own address (a looped-back advert, or a duplicate address). */
        OWN_ADDRESS,
        /** MASTER: a higher priority (or equal and a higher address) master; we went BACKUP. */
        YIELDED
    }

    /** What the instance asks of the outside world; called synchronously from its methods. */
    public interface Actions {
        /** Write an advert with this priority and our settings ({@link VrrpAdvert#write}) and send it. */
        void sendAdvert(int priority);

        /** Entered MASTER: add the VIPs and send gratuitous ARPs. Called after the first advert went out. */
        void becomeMaster();

        /**
         * We do not hold the VIPs (any more): remove them if present. Called on entering BACKUP (at start, from
         * MASTER, from FAULT) and when MASTER leaves for FAULT or STOP ({@link #state()} tells which), like
         * keepalived's vrrp_restore_interface.
         */
        void becomeBackup();

        /** As MASTER, an advert from another router that believes it is master and does not make us yield. */
        void anotherMaster(IpAddress address, int priority);

        /** After every state change, once the actions above ran: for notify scripts and logs. */
        default void stateChanged(State previous, State current) {
        }
    }

    /**
     * One vrrp_instance as configured. Defaults keepalived derives belong to the caller: no priority given is 255
     * with {@code state MASTER} and 100 otherwise; no state given is MASTER for priority 255 and BACKUP otherwise;
     * v2 intervals are whole seconds and v3 ones whole centiseconds (keepalived rounds and clamps).
     *
     * @param priority             1..255; 255 marks the address owner
     * @param advertIntervalCentis v2: 100..25 500 in steps of 100; v3: 1..4095
     * @param preempt              false for keepalived's {@code nopreempt}
     * @param preemptDelayNs       {@code preempt_delay}; 0 for none
     * @param wantMaster           {@code state MASTER}
     * @param localAddress         the instance's source address, compared with a peer's on equal priority (as
     *                             keepalived's vrrp_saddr_cmp: unsigned, first byte most significant); IPv4, or an
     *                             IPv6 link-local or unicast_src_ip for an IPv6 instance, which must be version 3
     * @param addresses            the IPv4 VIPs (the state machine reads none: their count is checked; IPv6 VIPs
     *                             are the caller's)
     */
    public record Settings(String name, int version, int virtualRouterId, int priority, int advertIntervalCentis,
                           boolean preempt, long preemptDelayNs, boolean wantMaster, IpAddress localAddress,
                           int[] addresses) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(localAddress, "localAddress");
            if (!localAddress.isIpv4() && version != VrrpAdvert.VERSION_3) {
                throw new IllegalArgumentException("(" + name + ") VRRPv" + version + " over IPv6");
            }
            if (version != VrrpAdvert.VERSION_2 && version != VrrpAdvert.VERSION_3) {
                throw new IllegalArgumentException("(" + name + ") VRRP version " + version);
            }
            if (virtualRouterId < 1 || virtualRouterId > 255) {
                throw new IllegalArgumentException("(" + name + ") virtual router id " + virtualRouterId);
            }
            if (priority < 1 || priority > OWNER_PRIORITY) {
                throw new IllegalArgumentException("(" + name + ") priority " + priority);
            }
            boolean intervalFits = version == VrrpAdvert.VERSION_2
                    ? advertIntervalCentis >= CENTIS_PER_SECOND && advertIntervalCentis <= 255 * CENTIS_PER_SECOND
                            && advertIntervalCentis % CENTIS_PER_SECOND == 0
                    : advertIntervalCentis >= 1 && advertIntervalCentis <= VrrpAdvert.MAX_V3_INTERVAL_CENTIS;
            if (!intervalFits) {
                throw new IllegalArgumentException("(" + name + ") advert interval " + advertIntervalCentis
                        + " centiseconds for VRRPv" + version);
            }
            if (preemptDelayNs < 0) {
                throw new IllegalArgumentException("(" + name + ") preempt delay " + preemptDelayNs);
            }
            addresses = addresses.clone();
            if (addresses.length > VrrpAdvert.MAX_ADDRESSES) {
                throw new IllegalArgumentException("(" + name + ") " + addresses.length + " VIPs");
            }
        }

        /** An IPv4 instance. */
        public Settings(String name, int version, int virtualRouterId, int priority, int advertIntervalCentis,
                        boolean preempt, long preemptDelayNs, boolean wantMaster, int localAddress, int[] addresses) {
            this(name, version, virtualRouterId, priority, advertIntervalCentis, preempt, preemptDelayNs, wantMaster,
                    IpAddress.ofIpv4(localAddress), addresses);
        }

        @Override
        public int[] addresses() {
            return addresses.clone();
        }
    }

    public static final int OWNER_PRIORITY = 255;
    /** The priority of the advert a master sends as it stops. */
    public static final int STOP_PRIORITY = 0;
    /** Adverts a backup misses before it takes over (keepalived's down_timer_adverts default, RFC's 3). */
    public static final int DOWN_TIMER_ADVERTS = 3;
    /** The address owner's master down timer at start: keepalived's "timeout from backup very quickly (1usec)". */
    public static final long OWNER_START_DOWN_TIMER_NS = 1_000;

    private static final int CENTIS_PER_SECOND = 100;
    private static final long MICROS_PER_SECOND = 1_000_000;
    private static final long MICROS_PER_CENTI = 10_000;
    private static final long NANOS_PER_MICRO = 1_000;

    private final Actions actions;
    /** Changed only by {@link #reconfigure}. */
    private Settings settings;
    /** keepalived clears nopreempt for the address owner and for {@code state MASTER} (vrrp_complete_instance). */
    private boolean noPreempt;
    /** keepalived clears preempt_delay with {@code state MASTER} and with nopreempt. */
    private long preemptDelayNs;

    private State state = State.INIT;
    private long stateSinceNs;
    private int effectivePriority;
    /** v3: the master's advert interval, learned from its adverts as BACKUP; v2: always ours. */
    private int masterAdvertIntervalCentis;
    /** The master's address as {@link IpAddress}'s two longs (IPv4: hi 0, lo the unsigned address); 0 before any. */
    private long masterHi;
    private long masterLo;
    private int masterPriority;
    private boolean timerArmed;
    private long deadlineNs;
    private boolean preemptDelayRunning;
    private long preemptDelayEndNs;
    private boolean interfaceDown;

    public VrrpInstance(Settings settings, Actions actions) {
        this.actions = Objects.requireNonNull(actions, "actions");
        settle(Objects.requireNonNull(settings, "settings"));
        this.effectivePriority = settings.priority();
        this.masterAdvertIntervalCentis = settings.advertIntervalCentis();
    }

    private void settle(Settings next) {
        this.settings = next;
        boolean owner = next.priority() == OWNER_PRIORITY;
        this.noPreempt = !next.preempt() && !owner && !next.wantMaster();
        this.preemptDelayNs = next.wantMaster() || noPreempt ? 0 : next.preemptDelayNs();
    }

    /**
     * RFC 3768's Skew_Time, (256 - priority) / 256 s, and RFC 5798's, ((256 - priority) × Master_Adver_Interval)
     * / 256, in nanoseconds: keepalived's VRRP_TIMER_SKEW, which truncates to whole microseconds (v3 computed as
     * × centiseconds × 625 / 16 to stay within 32 bits).
     */
    public static long skewTimeNs(int version, int priority, int masterAdvertIntervalCentis) {
        long weight = 256 - priority;
        long micros = version == VrrpAdvert.VERSION_3
                ? weight * masterAdvertIntervalCentis * 625 / 16
                : weight * MICROS_PER_SECOND / 256;
        return micros * NANOS_PER_MICRO;
    }

    /** Master_Down_Interval: 3 × the master's advert interval + the skew time (keepalived's VRRP_MS_DOWN_TIMER). */
    public static long masterDownIntervalNs(int version, int priority, int masterAdvertIntervalCentis) {
        return DOWN_TIMER_ADVERTS * masterAdvertIntervalCentis * MICROS_PER_CENTI * NANOS_PER_MICRO
                + skewTimeNs(version, priority, masterAdvertIntervalCentis);
    }

    /**
     * vrrp_init_state: enter BACKUP and arm the master down timer, or FAULT when {@link #fault} said a tracked
     * interface is down. The address owner with {@code state MASTER} gets a 1 µs timer, so it is MASTER at the
     * first tick; anyone else, {@code state MASTER} or not, waits a whole master down interval for a master.
     */
    public void start(long nowNs) {
        if (state != State.INIT) {
            throw new IllegalStateException("(" + settings.name() + ") already started: " + state);
        }
        if (interfaceDown) {
            enter(State.FAULT, nowNs);
            timerArmed = false;
            actions.stateChanged(State.INIT, State.FAULT);
            return;
        }
        enter(State.BACKUP, nowNs);
        if (isOwner() && settings.wantMaster()) {
            // keepalived skips vrrp_restore_interface and the backup notification on this path.
            arm(nowNs + OWNER_START_DOWN_TIMER_NS);
            actions.stateChanged(State.INIT, State.BACKUP);
            return;
        }
        arm(nowNs + masterDownIntervalNs());
        actions.becomeBackup();
        actions.stateChanged(State.INIT, State.BACKUP);
    }

    /**
     * A valid advert for this instance from {@code sourceAddress}. {@code advertIntervalCentis} is
     * {@link VrrpAdvert#advertIntervalCentis()}. The caller must not hand over our own adverts looped back
     * (keepalived turns IP_MULTICAST_LOOP off).
     */
    public Reception onAdvert(long nowNs, int sourceAddress, int priority, int advertIntervalCentis) {
        return onAdvert(nowNs, 0, sourceAddress & 0xFFFF_FFFFL, priority, advertIntervalCentis);
    }

    /**
     * As {@link #onAdvert(long, int, int, int)} for an advert from the address whose {@link IpAddress} longs are
     * {@code sourceHi} and {@code sourceLo}: an IPv6 instance's, or an IPv4 one's (hi 0).
     */
    public Reception onAdvert(long nowNs, long sourceHi, long sourceLo, int priority, int advertIntervalCentis) {
        if (state != State.BACKUP && state != State.MASTER) {
            return Reception.NOT_LISTENING;
        }
        if (settings.version() == VrrpAdvert.VERSION_2 && advertIntervalCentis != settings.advertIntervalCentis()) {
            // vrrp_check_packet drops it. Two masters that drop each other's adverts never resolve: say so.
            if (state == State.MASTER) {
                actions.anotherMaster(address(sourceHi, sourceLo), priority);
            }
            return Reception.INTERVAL_MISMATCH;
        }
        return state == State.BACKUP
                ? backupReceived(nowNs, sourceHi, sourceLo, priority, advertIntervalCentis)
                : masterReceived(nowNs, sourceHi, sourceLo, priority, advertIntervalCentis);
    }

    /** vrrp_dispatcher_read_timeout: fires the timer if due. BACKUP takes over; MASTER sends its advert. */
    public void tick(long nowNs) {
        if (!timerArmed || nowNs - deadlineNs < 0) {
            return;
        }
        if (state == State.BACKUP) {
            becomeMaster(nowNs);
        } else if (state == State.MASTER) {
            actions.sendAdvert(effectivePriority);
            // From now, not from the missed deadline: keepalived re-arms from time_now after sending.
            arm(nowNs + advertIntervalNs());
        }
    }

    /** When {@link #tick} has something to do; {@link Long#MAX_VALUE} when no timer runs (INIT, FAULT, STOP). */
    public long nextDeadlineNs() {
        return timerArmed ? deadlineNs : Long.MAX_VALUE;
    }

    /**
     * Stops the instance for good (restore_vrrp_interfaces at keepalived's exit): a MASTER sends an advert with
     * priority 0 so that a backup takes over after its skew time rather than a master down interval, and gives
     * up the VIPs.
     */
    public void shutdown(long nowNs) {
        State previous = state;
        if (previous == State.STOP) {
            return;
        }
        if (previous == State.MASTER) {
            actions.sendAdvert(STOP_PRIORITY);
        }
        enter(State.STOP, nowNs);
        timerArmed = false;
        if (previous == State.MASTER) {
            actions.becomeBackup();
        }
        actions.stateChanged(previous, State.STOP);
    }

    /**
     * A tracked interface went down ({@code down}) or came back: keepalived's down_instance / try_up_instance.
     * Down: MASTER sends a priority 0 advert and gives up the VIPs; MASTER or BACKUP enter FAULT, where adverts
     * are ignored and no timer runs. Up: FAULT enters BACKUP with a fresh master down timer, the address owner
     * too. A level, not a count: aggregate several tracked interfaces before calling. Before {@link #start} it
     * only decides whether start enters FAULT.
     */
    public void fault(long nowNs, boolean down) {
        interfaceDown = down;
        State previous = state;
        if (down && (previous == State.MASTER || previous == State.BACKUP)) {
            if (previous == State.MASTER) {
                actions.sendAdvert(STOP_PRIORITY);
            }
            enter(State.FAULT, nowNs);
            timerArmed = false;
            preemptDelayRunning = false;
            if (previous == State.MASTER) {
                actions.becomeBackup();
            }
            actions.stateChanged(previous, State.FAULT);
        } else if (!down && previous == State.FAULT) {
            // vrrp_state_leave_fault: the master's interval is forgotten, the timer starts from scratch.
            masterAdvertIntervalCentis = settings.advertIntervalCentis();
            preemptDelayRunning = false;
            enter(State.BACKUP, nowNs);
            arm(nowNs + masterDownIntervalNs());
            actions.becomeBackup();
            actions.stateChanged(State.FAULT, State.BACKUP);
        }
    }

    /**
     * Another member of this instance's vrrp_sync_group became MASTER (vrrp_sync_master): a BACKUP follows it at
     * once, advert first, so the group's addresses move together.
     */
    public void syncMaster(long nowNs) {
        if (state == State.BACKUP) {
            becomeMaster(nowNs);
        }
    }

    /**
     * Another member of this instance's vrrp_sync_group left MASTER for BACKUP (vrrp_sync_backup): a MASTER
     * follows it, so that one router does not hold part of the group's addresses. It sends priority 0 first, as a
     * leaving master does, so the peer's member takes over after its skew time.
     */
    public void syncBackup(long nowNs) {
        if (state == State.MASTER) {
            actions.sendAdvert(STOP_PRIORITY);
            enter(State.BACKUP, nowNs);
            arm(nowNs + masterDownIntervalNs());
            actions.becomeBackup();
            actions.stateChanged(State.MASTER, State.BACKUP);
        }
    }

    /**
     * A reload changed this instance's settings (priority, interval, preemption, addresses...; same VRID and source
     * address): keepalived's reload finds the instance again and keeps its state (restore_vrrp_state). A MASTER
     * stays MASTER and sends its next advert now, with the new priority (reload_master: its timer is set to the
     * present), so a backup that now wins preempts it as usual; a BACKUP starts a new master down timer from the new
     * settings (vrrp_init_state); INIT, FAULT and STOP stay as they are. {@code effectivePriority} is the new
     * configured priority with tracking weights applied, as {@link #priority} takes it. No state change, so no
     * action but the advert.
     */
    public void reconfigure(long nowNs, Settings next, int effectivePriority) {
        Objects.requireNonNull(next, "settings");
        if (!next.localAddress().equals(settings.localAddress()) || next.virtualRouterId() != settings.virtualRouterId()) {
            throw new IllegalArgumentException("(" + settings.name() + ") a reload cannot change the VRID or source"
                    + " address of a running instance; expected a new instance");
        }
        settle(next);
        this.effectivePriority = next.priority();
        priority(effectivePriority);
        masterAdvertIntervalCentis = next.advertIntervalCentis();
        preemptDelayRunning = false;
        if (state == State.MASTER) {
            arm(nowNs);
        } else if (state == State.BACKUP) {
            arm(nowNs + masterDownIntervalNs());
        }
    }

    /**
     * A new effective priority (vrrp_set_effective_priority), the configured one adjusted by the weights of tracked
     * scripts: from now on in every advert and comparison. A BACKUP raised above the master discards its adverts and
     * takes over when its master down timer runs out (if it may preempt); a MASTER lowered below a backup keeps
     * advertising the lower priority until that backup takes over. The address owner's priority does not change.
     */
    public void priority(int effective) {
        if (isOwner()) {
            return;
        }
        effectivePriority = Math.max(1, Math.min(OWNER_PRIORITY - 1, effective));
    }

    public State state() {
        return state;
    }

    public long stateSinceNs() {
        return stateSinceNs;
    }

    /**
     * An IPv4 instance's {@link #master()} as an int, 0 before any.
     */
    public int masterAddress() {
        return state == State.MASTER ? settings.localAddress().ipv4() : (int) masterLo;
    }

    /**
     * Ours when MASTER; as BACKUP the last master that sent an advert (null before any): keepalived records a lower
     * priority one it discards too.
     */
    public IpAddress master() {
        if (state == State.MASTER) {
            return settings.localAddress();
        }
        return masterHi == 0 && masterLo == 0 ? null : address(masterHi, masterLo);
    }

    /** The priority in the last advert we deferred to as BACKUP (0 before any). */
    public int masterPriority() {
        return masterPriority;
    }

    /** The priority we advertise: the configured one, but 254 after losing an address owner conflict. */
    public int effectivePriority() {
        return effectivePriority;
    }

    /** v3: the interval the current master advertises, which times our master down timer; v2: ours. */
    public int masterAdvertIntervalCentis() {
        return masterAdvertIntervalCentis;
    }

    public Settings settings() {
        return settings;
    }

    /** vrrp_state_backup. */
    private Reception backupReceived(long nowNs, long sourceHi, long sourceLo, int priority,
                                     int advertIntervalCentis) {
        if (priority == STOP_PRIORITY) {
            // The master is leaving: take over after the skew time only, the highest priority backup first.
            arm(nowNs + skewTimeNs());
            return Reception.PRIORITY_ZERO;
        }
        boolean deferToMaster = noPreempt || priority >= effectivePriority
                || (preemptDelayNs > 0 && (!preemptDelayRunning || preemptDelayEndNs - nowNs > 0));
        if (!deferToMaster) {
            // Preempting: let the master down timer run out while this lower priority master keeps advertising.
            masterHi = sourceHi;
            masterLo = sourceLo;
            return Reception.LOWER_PRIORITY_DISCARDED;
        }
        if (settings.version() == VrrpAdvert.VERSION_3) {
            // RFC 5798 6.4.2: Master_Adver_Interval := the advert's interval, which the down timer then uses.
            masterAdvertIntervalCentis = advertIntervalCentis;
        }
        arm(nowNs + masterDownIntervalNs());
        masterHi = sourceHi;
        masterLo = sourceLo;
        masterPriority = priority;
        if (preemptDelayNs > 0) {
            if (priority >= effectivePriority) {
                preemptDelayRunning = false;
            } else if (!preemptDelayRunning) {
                // The first lower priority advert starts the delay; we defer to that master until it ends.
                preemptDelayRunning = true;
                preemptDelayEndNs = nowNs + preemptDelayNs;
            }
        }
        return Reception.MASTER_ALIVE;
    }

    /** vrrp_state_master_rx with keepalived's defaults (higher_prio_send_advert off, lower_prio_no_advert off). */
    private Reception masterReceived(long nowNs, long sourceHi, long sourceLo, int priority,
                                     int advertIntervalCentis) {
        IpAddress local = settings.localAddress();
        int addressOrder = Long.signum(sourceHi != local.hi() ? Long.compareUnsigned(sourceHi, local.hi())
                : Long.compareUnsigned(sourceLo, local.lo()));
        if (priority == STOP_PRIORITY) {
            // Another master stepping down: assert ourselves at once so its backups do not take over.
            actions.sendAdvert(effectivePriority);
            arm(nowNs + advertIntervalNs());
            return Reception.PRIORITY_ZERO;
        }
        if (priority == effectivePriority && addressOrder != 0 && effectivePriority == OWNER_PRIORITY) {
            // Two address owners is a configuration error; keepalived steps down to 254 and lets the other win.
            effectivePriority = OWNER_PRIORITY - 1;
        }
        boolean weWin = priority < effectivePriority || (priority == effectivePriority && addressOrder < 0);
        boolean theyWin = priority > effectivePriority || (priority == effectivePriority && addressOrder > 0);
        if (theyWin) {
            if (settings.version() == VrrpAdvert.VERSION_3) {
                masterAdvertIntervalCentis = advertIntervalCentis;
            }
            masterHi = sourceHi;
            masterLo = sourceLo;
            masterPriority = priority;
            preemptDelayRunning = false;
            enter(State.BACKUP, nowNs);
            arm(nowNs + masterDownIntervalNs());
            actions.becomeBackup();
            actions.stateChanged(State.MASTER, State.BACKUP);
            return Reception.YIELDED;
        }
        if (weWin) {
            // "forcing new election": our advert makes the other master yield.
            actions.sendAdvert(effectivePriority);
        }
        actions.anotherMaster(address(sourceHi, sourceLo), priority);
        // keepalived re-arms the advert timer after every advert a master handles.
        arm(nowNs + advertIntervalNs());
        return weWin ? Reception.LOWER_PRIORITY_MASTER : Reception.OWN_ADDRESS;
    }

    /** vrrp_state_goto_master / vrrp_state_master_tx: advert first, so the old master drops the VIPs before our ARPs. */
    private void becomeMaster(long nowNs) {
        State previous = state;
        // keepalived means to go back to its own interval here (vrrp_state_become_master); RFC 5798 6.4.1 agrees.
        masterAdvertIntervalCentis = settings.advertIntervalCentis();
        enter(State.MASTER, nowNs);
        arm(nowNs + advertIntervalNs());
        actions.sendAdvert(effectivePriority);
        actions.becomeMaster();
        actions.stateChanged(previous, State.MASTER);
    }

    /** The address of this instance's family with these longs. */
    private IpAddress address(long hi, long lo) {
        return settings.localAddress().isIpv4() ? IpAddress.ofIpv4((int) lo)
                : new IpAddress(IpAddress.Family.IPV6, hi, lo);
    }

    private void enter(State next, long nowNs) {
        state = next;
        stateSinceNs = nowNs;
    }

    private void arm(long atNs) {
        timerArmed = true;
        deadlineNs = atNs;
    }

    private boolean isOwner() {
        return settings.priority() == OWNER_PRIORITY;
    }

    private long advertIntervalNs() {
        return settings.advertIntervalCentis() * MICROS_PER_CENTI * NANOS_PER_MICRO;
    }

    private long skewTimeNs() {
        return skewTimeNs(settings.version(), effectivePriority, masterAdvertIntervalCentis);
    }

    private long masterDownIntervalNs() {
        return masterDownIntervalNs(settings.version(), effectivePriority, masterAdvertIntervalCentis);
    }
}
