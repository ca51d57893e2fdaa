package dev.oomguard.sample;

import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the job's processes from the roots down through {@code /proc/PID/task/TID/children}, reading
 * the {@code stat} of the tree's own processes only, not of every process on the machine: the same
 * members, in the same order, as {@link TreeSelector} over a scan of {@code /proc/*}{@code /stat}
 * (a parent's children in PID order, as {@code /proc} lists them). Orphans adopted by the
 * supervisor may be in the children file of any of its threads, so all are read. Where the kernel
 * has no children files (built without CONFIG_PROC_CHILDREN) there is no walk: the caller scans.
 * Not thread-safe (one tick loop).
 */
final class TreeWalk {
    private final ProcFs fs;
    /** Whether children files exist here; null until a process's file answered either way. */
    private Boolean supported;

    TreeWalk(ProcFs fs) {
        this.fs = fs;
    }

    /** False once this kernel has shown it has no children files: then every tick scans. */
    boolean possible() {
        return supported == null || supported;
    }

    /**
     * The tree's processes as {@link TreeSelector#select} would pick them; empty when there are no
     * children files (or that is not known yet and no process of the tree could tell).
     *
     * @param rootStartTimes as for {@link TreeSelector#select}; a root seen for the first time is added
     */
    Optional<List<PidStat>> members(TreeSpec spec, Map<Integer, Long> rootStartTimes) {
        Deque<PidStat> queue = new ArrayDeque<>();
        for (int root : spec.rootPids()) {
            Optional<PidStat> s = stat(root);
            if (s.isPresent()) {
                rootStartTimes.putIfAbsent(root, s.get().startTimeTicks());
                if (rootStartTimes.get(root) == s.get().startTimeTicks()) {
                    queue.add(s.get());
                }
            }
        }
        if (spec.adopterPid().isPresent()) {
            int adopter = spec.adopterPid().getAsInt();
            Optional<PidStat> supervisor = stat(adopter);
            Optional<List<PidStat>> adopted = children(adopter, supervisor.map(PidStat::threads).orElse(0));
            if (adopted.isEmpty()) {
                return Optional.empty();
            }
            for (PidStat child : adopted.get()) {
                boolean ownHelper = supervisor.isPresent() && child.pgrp() == supervisor.get().pgrp();
                if (!ownHelper) {
                    queue.add(child);
                }
            }
        }
        List<PidStat> members = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            if (!visit(queue.poll(), queue, members, seen)) {
                return Optional.empty();
            }
        }
        return Optional.of(members);
    }

    /** One process of the walk (a method of its own: compiled within a tick, unlike the loop). */
    private boolean visit(PidStat s, Deque<PidStat> queue, List<PidStat> members, Set<Integer> seen) {
        if (!seen.add(s.pid())) {
            return true;
        }
        members.add(s);
        Optional<List<PidStat>> children = children(s.pid(), s.threads());
        if (children.isEmpty()) {
            return false;
        }
        for (PidStat child : children.get()) {
            // A child older than its parent means the parent PID was reused between reads.
            if (child.startTimeTicks() >= s.startTimeTicks()) {
                queue.add(child);
            }
        }
        return true;
    }

    /**
     * The children of {@code pid} whose {@code stat} still names it as parent, in PID order; an
     * empty list when it is gone; empty (no list) when this kernel has no children files.
     *
     * @param threads its thread count from {@code stat} (1: only the main thread's file is read;
     *                else, or 0 when unknown, every thread's)
     */
    private Optional<List<Integer>> childPids(int pid, int threads) {
        List<Integer> pids = new ArrayList<>();
        Optional<String> leader = fs.readProcess(pid, "task/" + pid + "/children");
        if (leader.isEmpty()) {
            if (supported == null && fs.exists("/proc/" + pid + "/stat")) {
                supported = false; // the process is there, its children file is not
            }
            return supported == null || supported ? Optional.of(pids) : Optional.empty();
        }
        supported = true;
        parse(leader.get(), pids);
        if (threads != 1) {
            for (int tid : tasks(pid)) {
                if (tid != pid) {
                    fs.readProcess(pid, "task/" + tid + "/children").ifPresent(text -> parse(text, pids));
                }
            }
        }
        pids.sort(null);
        return Optional.of(pids);
    }

    private Optional<List<PidStat>> children(int pid, int threads) {
        Optional<List<Integer>> pids = childPids(pid, threads);
        if (pids.isEmpty()) {
            return Optional.empty();
        }
        List<PidStat> out = new ArrayList<>(pids.get().size());
        int last = -1;
        for (int child : pids.get()) {
            if (child == last) {
                continue;
            }
            last = child;
            // Reparented since the children file was read: it belongs where its stat says.
            stat(child).filter(s -> s.ppid() == pid).ifPresent(out::add);
        }
        return Optional.of(out);
    }

    /** As the scan reads it: gone is empty, malformed is an error. */
    private Optional<PidStat> stat(int pid) {
        return PidStat.read(fs, pid);
    }

    private List<Integer> tasks(int pid) {
        List<Integer> tids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fs.path("/proc/" + pid + "/task"))) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                try {
                    tids.add(Integer.parseInt(name));
                } catch (NumberFormatException e) {
                    // not a thread
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // gone meanwhile: its main thread's file was all there was to read
        }
        return tids;
    }

    /** The space-separated PIDs of one children file. */
    static void parse(String text, List<Integer> into) {
        int n = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                n = (n < 0 ? 0 : n * 10) + (c - '0');
            } else if (n >= 0) {
                into.add(n);
                n = -1;
            }
        }
        if (n >= 0) {
            into.add(n);
        }
    }
}
