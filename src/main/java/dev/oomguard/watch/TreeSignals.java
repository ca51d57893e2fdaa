package dev.oomguard.watch;

import dev.oomguard.launch.JobSignals;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.Signals;
import dev.oomguard.proc.SyscallException;
import dev.oomguard.sample.TreeSelector;
import dev.oomguard.sample.TreeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Where {@code oomguard watch --act} sends its signals. A job oomguard did not start may share its
 * process group with the shell or script that started it (a non-interactive shell gives its
 * commands no group of their own), so the group is signalled only when the job leads it and every
 * live member of the group is in the job's tree (a job started from an interactive shell, or by
 * {@code setsid}); otherwise each process of the tree, found afresh, is signalled by itself, the
 * main one through its pidfd (never a reused PID).
 */
final class TreeSignals implements JobSignals {
    /** Whom a signal goes to. */
    enum Target { GROUP, EACH_PROCESS }

    private final Signals signals;
    private final ProcFs fs;
    private final WatchedProcess job;
    private final JobEnd end;
    private final Consumer<String> detail;
    private Target lastTarget;

    TreeSignals(LibC libc, ProcFs fs, WatchedProcess job, JobEnd end, Consumer<String> detail) {
        this.signals = new Signals(libc);
        this.fs = fs;
        this.job = job;
        this.end = end;
        this.detail = detail;
    }

    @Override
    public boolean unreaped() {
        return !end.ended();
    }

    /** No reflex watches a job oomguard did not start: only as {@link #send}, for the interface's sake. */
    @Override
    public void sendToGroupAtOnce(int signal) {
        send(signal);
    }

    @Override
    public synchronized void send(int signal) {
        if (end.ended()) {
            return; // its PID and group may name someone else by now
        }
        List<PidStat> scan = scan();
        List<PidStat> tree = TreeSelector.select(scan, TreeSpec.of(job.pid()), Map.of(job.pid(), job.startTimeTicks()));
        Target target = target(scan, tree);
        if (target != lastTarget) {
            detail.accept("signals go to " + (target == Target.GROUP ? "the job's process group " + job.pid()
                    : "each process of the job's tree (its process group " + job.pgrp() + " holds others too)"));
            lastTarget = target;
        }
        if (target == Target.GROUP) {
            try {
                signals.kill(-job.pid(), signal);
                return;
            } catch (SyscallException e) {
                // fall back to the processes one by one
            }
        }
        end.signal(signals, signal);
        for (PidStat p : tree) {
            if (p.pid() != job.pid() && !p.isDead()) {
                try {
                    signals.kill(p.pid(), signal);
                } catch (SyscallException e) {
                    // ended meanwhile, or not ours to signal
                }
            }
        }
    }

    /** Whom a signal would reach now. */
    Target target() {
        List<PidStat> scan = scan();
        return target(scan, TreeSelector.select(scan, TreeSpec.of(job.pid()), Map.of(job.pid(), job.startTimeTicks())));
    }

    static Target target(WatchedProcess job, List<PidStat> scan, List<PidStat> tree) {
        if (job.pgrp() != job.pid()) {
            return Target.EACH_PROCESS;
        }
        Set<Integer> inTree = tree.stream().map(PidStat::pid).collect(Collectors.toSet());
        boolean groupInTree = scan.stream().filter(s -> s.pgrp() == job.pid() && !s.isDead())
                .allMatch(s -> inTree.contains(s.pid()));
        return groupInTree ? Target.GROUP : Target.EACH_PROCESS;
    }

    private Target target(List<PidStat> scan, List<PidStat> tree) {
        return target(job, scan, tree);
    }

    private List<PidStat> scan() {
        List<PidStat> out = new ArrayList<>();
        for (int pid : fs.pids()) {
            try {
                Optional<PidStat> s = PidStat.read(fs, pid);
                s.ifPresent(out::add);
            } catch (RuntimeException e) {
                // gone meanwhile, or unreadable
            }
        }
        return out;
    }

    /** Words for the messages: "its process group" or "each of its processes". */
    static String describe(Target t) {
        return t == Target.GROUP ? "its process group" : "each of its processes";
    }
}
