package dev.oomguard.launch;

import dev.oomguard.proc.Children;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.Signals;
import dev.oomguard.proc.SyscallException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * oomguard as a child subreaper: descendants of the job whose parents exit are reparented to
 * oomguard instead of init, so they stay in the job's tree; their zombies are reaped here.
 * Only processes outside oomguard's own process group are touched: children the JDK spawns
 * (hooks) stay in that group and belong to the JDK's reaper.
 */
public final class Orphans {
    /** A process of the job's tree that outlived its parent. */
    public record Orphan(int pid, String comm) {
    }

    /** A reparented descendant that ended and was reaped. */
    public record Reaped(int pid, String comm, WaitStatus status) {
    }

    private final Children ours;
    private final Signals signals;
    private final ProcFs fs;
    private final int self;
    private final int ownGroup;
    private final List<Reaped> reaped = new ArrayList<>();
    private long reapedMaxRssKiB = -1;

    public Orphans(LibC libc, ProcFs fs) {
        this.ours = new Children(libc);
        this.signals = new Signals(libc);
        this.fs = fs;
        this.self = libc.getpid();
        this.ownGroup = libc.getpgrp();
    }

    /** Becomes a child subreaper; false where the kernel refuses (then orphans go to init). */
    public boolean becomeSubreaper() {
        return ours.becomeSubreaper();
    }

    /** Reaps every zombie child of ours outside our own group, except {@code jobPid}. */
    public synchronized List<Reaped> reapZombies(int jobPid) {
        List<Reaped> now = new ArrayList<>();
        for (PidStat p : children(self)) {
            if (p.state() == 'Z' && p.pid() != jobPid && p.pgrp() != ownGroup) {
                Optional<Children.Waited> waited = ours.reapIfEnded(p.pid()); // empty: already reaped (ECHILD)
                if (waited.isPresent()) {
                    now.add(new Reaped(p.pid(), p.comm(), new WaitStatus(waited.get().status())));
                    waited.get().maxRssKiB().ifPresent(k -> reapedMaxRssKiB = Math.max(reapedMaxRssKiB, k));
                }
            }
        }
        reaped.addAll(now);
        return now;
    }

    /** The largest {@code ru_maxrss} (KiB) of the orphans reaped so far; empty before the first. */
    public synchronized java.util.OptionalLong reapedMaxRssKiB() {
        return reapedMaxRssKiB < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(reapedMaxRssKiB);
    }

    public synchronized List<Reaped> reaped() {
        return List.copyOf(reaped);
    }

    /** Living descendants of ours outside our own group: what the job left behind. */
    public List<Orphan> remaining(int jobPid) {
        List<Orphan> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        List<PidStat> frontier = new ArrayList<>();
        for (PidStat child : children(self)) {
            if (child.pgrp() != ownGroup && child.pid() != jobPid) {
                frontier.add(child);
            }
        }
        while (!frontier.isEmpty()) {
            PidStat p = frontier.remove(frontier.size() - 1);
            if (!seen.add(p.pid())) {
                continue;
            }
            if (p.state() != 'Z') {
                out.add(new Orphan(p.pid(), p.comm()));
            }
            frontier.addAll(children(p.pid()));
        }
        return out;
    }

    /** The children of {@code pid} as they are now; a child that vanishes or cannot be read is skipped. */
    private List<PidStat> children(int pid) {
        List<PidStat> out = new ArrayList<>();
        for (int child : fs.children(pid)) {
            try {
                fs.readProcess(child, "stat").map(t -> PidStat.parse(t, "/proc/" + child + "/stat")).ifPresent(out::add);
            } catch (RuntimeException e) {
                // A process we cannot read is left alone: never a reason to fail the run.
            }
        }
        return out;
    }

    /** Sends {@code signal} to each process, by PID. */
    public void signalEach(List<Orphan> orphans, int signal) {
        for (Orphan o : orphans) {
            try {
                signals.kill(o.pid(), signal);
            } catch (SyscallException e) {
                // Gone already (ESRCH): fine.
            }
        }
    }
}
