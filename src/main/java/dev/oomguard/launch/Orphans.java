package dev.oomguard.launch;

import dev.oomguard.proc.Children;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.Signal;
import dev.oomguard.proc.Signals;
import dev.oomguard.proc.SyscallException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
    public List<Reaped> reapZombies(int jobPid) {
        return reap(jobPid, children(self));
    }

    private synchronized List<Reaped> reap(int jobPid, List<PidStat> ownChildren) {
        List<Reaped> now = new ArrayList<>();
        for (PidStat p : ownChildren) {
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

    /**
     * Whether our child {@code pid} is seen ended: a zombie not reaped yet (its own children, if
     * any, are ours by now). Unreadable or gone: not seen, false (the caller knows what it reaped).
     */
    public boolean exited(int pid) {
        try {
            Optional<String> stat = fs.readProcess(pid, "stat");
            return stat.isPresent() && PidStat.parse(stat.get(), "/proc/" + pid + "/stat").isDead();
        } catch (RuntimeException e) {
            return false; // unreadable: taken as running
        }
    }

    /** Living descendants of ours outside our own group: what the job left behind. */
    public List<Orphan> remaining(int jobPid) {
        return remaining(jobPid, children(self));
    }

    /**
     * {@link #remaining}, and when nothing is left, {@link #reapZombies} from the same look at our
     * children: with no living descendant, no zombie can appear after it (the job's own end aside).
     */
    public List<Orphan> remainingElseReap(int jobPid) {
        List<PidStat> ownChildren = children(self);
        List<Orphan> left = remaining(jobPid, ownChildren);
        if (left.isEmpty()) {
            reap(jobPid, ownChildren);
        }
        return left;
    }

    private List<Orphan> remaining(int jobPid, List<PidStat> ownChildren) {
        List<Orphan> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        List<PidStat> frontier = new ArrayList<>();
        for (PidStat child : ownChildren) {
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

    /**
     * What becomes of the processes the job left running: kept (told of) with {@code keep},
     * otherwise sent TERM (and CONT), then KILL if still there after {@code grace}, reaping as
     * they end. Waits at most {@code grace} and two seconds more.
     */
    public void settle(int jobPid, List<Orphan> left, Duration grace, boolean keep, Consumer<String> say) {
        String names = describe(left);
        if (keep) {
            say.accept("the job left " + left.size() + " process(es) running: " + names + " (kept: --keep-orphans)");
            return;
        }
        say.accept("the job left " + left.size() + " process(es) running: " + names
                + "; sending TERM (use --keep-orphans to leave them)");
        signalEach(left, Signal.TERM.number());
        signalEach(left, Signal.CONT.number());
        long deadline = System.nanoTime() + grace.toNanos();
        List<Orphan> still = left;
        while (!still.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
            reapZombies(jobPid);
            still = remaining(jobPid);
        }
        if (!still.isEmpty()) {
            say.accept("still running after " + grace.toMillis() + " ms: " + describe(still)
                    + "; sending KILL");
            signalEach(still, Signal.KILL.number());
            long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!still.isEmpty() && System.nanoTime() < killDeadline) {
                sleep(20);
                reapZombies(jobPid);
                still = remaining(jobPid);
            }
        }
    }

    private static String describe(List<Orphan> list) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < list.size() && i < 10; i++) {
            sb.append(i == 0 ? "" : ", ").append(list.get(i).pid()).append(" (").append(list.get(i).comm()).append(')');
        }
        if (list.size() > 10) {
            sb.append(", ...");
        }
        return sb.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
