package dev.oomguard.sample;

import dev.oomguard.proc.PidStat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the job's processes out of one scan of {@code /proc/*}{@code /stat}: a pure function of the
 * scan, the spec and the start times the roots had when first seen (so a reused root PID is not
 * mistaken for the job).
 */
public final class TreeSelector {
    private TreeSelector() {
    }

    /**
     * @param rootStartTimes start time of each root PID when it was first seen; a root whose PID
     *                       now has another start time is a different process and is not counted
     */
    public static List<PidStat> select(Collection<PidStat> scan, TreeSpec spec, Map<Integer, Long> rootStartTimes) {
        Map<Integer, PidStat> byPid = new HashMap<>();
        Map<Integer, List<PidStat>> children = new HashMap<>();
        // Per process in lambdas, not loop bodies: this runs once per tick, and a loop body of a
        // method run that rarely stays interpreted for minutes; a lambda is compiled within a tick or two.
        scan.forEach(s -> {
            byPid.put(s.pid(), s);
            children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
        });
        Deque<PidStat> queue = new ArrayDeque<>();
        for (int root : spec.rootPids()) {
            PidStat s = byPid.get(root);
            Long known = rootStartTimes.get(root);
            if (s != null && (known == null || known == s.startTimeTicks())) {
                queue.add(s);
            }
        }
        spec.adopterPid().ifPresent(adopter -> {
            PidStat supervisor = byPid.get(adopter);
            for (PidStat child : children.getOrDefault(adopter, List.of())) {
                boolean ownHelper = supervisor != null && child.pgrp() == supervisor.pgrp();
                if (!ownHelper) {
                    queue.add(child);
                }
            }
        });
        List<PidStat> members = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            visit(queue.poll(), children, queue, members, seen);
        }
        return members;
    }

    private static void visit(PidStat s, Map<Integer, List<PidStat>> children, Deque<PidStat> queue,
            List<PidStat> members, Set<Integer> seen) {
        if (!seen.add(s.pid())) {
            return;
        }
        members.add(s);
        for (PidStat child : children.getOrDefault(s.pid(), List.of())) {
            // A child older than its parent means the parent PID was reused between reads.
            if (child.startTimeTicks() >= s.startTimeTicks()) {
                queue.add(child);
            }
        }
    }
}
