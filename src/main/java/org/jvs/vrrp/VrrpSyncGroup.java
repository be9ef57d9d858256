package org.jvs.vrrp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One vrrp_sync_group as keepalived 2.2.7 runs it (vrrp_sync.c): its members change state together, and the group
 * has a state of its own, whose changes run the group's notify scripts (send_group_notifies).
 * <p>
 * The group's state moves only through keepalived's transitions: at start it is BACKUP, or FAULT when a member is
 * down, or MASTER when every member is an address owner with {@code state MASTER} (vrrp_sync_set_group); then a
 * member entering MASTER makes it MASTER and brings the BACKUP members along (vrrp_sync_master), a member leaving
 * MASTER for BACKUP makes it BACKUP and takes the other masters along (vrrp_sync_backup), a member entering FAULT
 * makes it FAULT (vrrp_sync_fault), and a member leaving FAULT makes it BACKUP (try_up_instance). Each is
 * announced once, when the group's state changes; a group that is MASTER from the start is never announced MASTER,
 * as in keepalived. On shutdown the group is STOP (notify_shutdown).
 * <p>
 * Pure, like {@link VrrpInstance}: the caller tells it of every member's state change
 * ({@link VrrpInstance.Actions#stateChanged}) on the thread that drives the members.
 */
public final class VrrpSyncGroup {
    /** What the group asks of the outside world. */
    public interface Listener {
        /** The group entered {@code current}: run its notify scripts. */
        void groupStateChanged(VrrpSyncGroup group, VrrpInstance.State current);
    }

    private final String name;
    private final Listener listener;
    private final List<VrrpInstance> members = new ArrayList<>();
    private VrrpInstance.State state = VrrpInstance.State.INIT;
    /** Set while members follow one of them: the moves they make in turn are not propagated again. */
    private boolean propagating;

    public VrrpSyncGroup(String name, Listener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public void add(VrrpInstance member) {
        members.add(Objects.requireNonNull(member, "member"));
    }

    public String name() {
        return name;
    }

    public VrrpInstance.State state() {
        return state;
    }

    public List<VrrpInstance> members() {
        return List.copyOf(members);
    }

    /**
     * Before the members start (vrrp_sync_set_group, then vrrp_init_state): FAULT when {@code memberDown}, else MASTER
     * when every member is an address owner wanting MASTER, else BACKUP. FAULT and BACKUP are announced.
     */
    public void start(boolean memberDown) {
        boolean allOwners = !members.isEmpty();
        for (VrrpInstance member : members) {
            allOwners &= member.settings().wantMaster()
                    && member.settings().priority() == VrrpInstance.OWNER_PRIORITY;
        }
        state = memberDown ? VrrpInstance.State.FAULT
                : allOwners ? VrrpInstance.State.MASTER : VrrpInstance.State.BACKUP;
        if (state != VrrpInstance.State.MASTER) {
            listener.groupStateChanged(this, state);
        }
    }

    /**
     * After a reload: the group of the same name had {@code previous} (null for a new group). The state is worked
     * out from the members, which kept theirs (FAULT if one is, MASTER if all are, else BACKUP), and announced only
     * when it differs from the previous one and is not MASTER, as keepalived's state_same_at_reload.
     */
    public void reloaded(VrrpInstance.State previous) {
        boolean anyFault = false;
        boolean allMaster = !members.isEmpty();
        for (VrrpInstance member : members) {
            anyFault |= member.state() == VrrpInstance.State.FAULT;
            allMaster &= member.state() == VrrpInstance.State.MASTER;
        }
        state = anyFault ? VrrpInstance.State.FAULT
                : allMaster ? VrrpInstance.State.MASTER : VrrpInstance.State.BACKUP;
        if (state != previous && state != VrrpInstance.State.MASTER) {
            listener.groupStateChanged(this, state);
        }
    }

    /** A member moved from {@code previous} to {@code current}: the others follow, and the group may change. */
    public void memberChanged(VrrpInstance moved, VrrpInstance.State previous, VrrpInstance.State current,
                              long nowNs) {
        if (propagating || previous == VrrpInstance.State.INIT || state == VrrpInstance.State.STOP) {
            return; // start() covers the first states
        }
        switch (current) {
            case MASTER -> {
                if (state != VrrpInstance.State.MASTER) {
                    follow(moved, true, nowNs);
                    enter(VrrpInstance.State.MASTER);
                }
            }
            case BACKUP -> {
                if (state != VrrpInstance.State.BACKUP) {
                    if (previous == VrrpInstance.State.MASTER) {
                        follow(moved, false, nowNs);
                    }
                    enter(VrrpInstance.State.BACKUP);
                }
            }
            case FAULT -> {
                if (state != VrrpInstance.State.FAULT) {
                    enter(VrrpInstance.State.FAULT);
                }
            }
            default -> {
                // a member stopped alone (removed by a reload): the group's state is the others'
            }
        }
    }

    /** Shutdown: the group is STOP, announced whatever it was (notify_shutdown). */
    public void stop() {
        if (state != VrrpInstance.State.STOP) {
            state = VrrpInstance.State.STOP;
            listener.groupStateChanged(this, state);
        }
    }

    private void follow(VrrpInstance moved, boolean toMaster, long nowNs) {
        propagating = true;
        try {
            for (VrrpInstance member : members) {
                if (member == moved) {
                    continue;
                }
                if (toMaster) {
                    member.syncMaster(nowNs);
                } else {
                    member.syncBackup(nowNs);
                }
            }
        } finally {
            propagating = false;
        }
    }

    private void enter(VrrpInstance.State next) {
        state = next;
        listener.groupStateChanged(this, next);
    }
}
