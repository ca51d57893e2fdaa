package dev.oomguard.explain;

import dev.oomguard.kernellog.KilledProcess;
import dev.oomguard.kernellog.MemInfo;
import dev.oomguard.kernellog.MemcgBlock;
import dev.oomguard.kernellog.MemcgCounter;
import dev.oomguard.kernellog.OomReport;
import dev.oomguard.kernellog.ReaperEvent;
import dev.oomguard.kernellog.TaskRow;
import dev.oomguard.proc.SlurmCgroup;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Turns one kernel OOM report into an {@link Explanation}. Pure. */
public final class ReportExplainer {
    /** Task tables count pages; x86-64, arm64 (usual configs) and most distributions use 4 KiB. */
    public static final long DEFAULT_PAGE_KIB = 4;
    private static final int MAX_QUOTED_ROWS = 12;

    private final ZoneId zone;
    private final long pageKiB;

    public ReportExplainer(ZoneId zone, long pageKiB) {
        this.zone = zone;
        this.pageKiB = pageKiB;
    }

    public Explanation explain(OomReport r) {
        return explain(r, Set.of());
    }

    /** @param knownPids the job's pids when the caller knows them (the run command does) */
    public Explanation explain(OomReport r, Set<Integer> knownPids) {
        Verdict verdict = verdict(r);
        JobProcesses job = JobProcesses.in(r, knownPids, pageKiB);
        Optional<KilledProcess> victim = r.victim();
        Integer chosen = r.selection() != null ? Integer.valueOf(r.selection().pid())
                : r.constraint() != null ? r.constraint().pid() : null;
        Integer pid = victim.map(KilledProcess::pid).orElse(chosen);
        String comm = r.victimComm().orElse(null);
        String when = WhenText.of(r.time(), zone);
        List<String> details = new ArrayList<>();
        boolean fragment = victim.isEmpty() && r.noKill() == null;
        String what;
        if (fragment) {
            what = fragmentSentence(r, pid, comm, when);
        } else if (r.noKill() != null && victim.isEmpty()) {
            what = "The kernel OOM killer ran at " + when + " but killed nothing (" + r.noKill() + ")";
        } else {
            what = "The kernel OOM killer killed PID " + pid + " (" + comm + ") at " + when;
        }
        String summary = what + ": " + cause(verdict, r) + ".";
        if (fragment) {
            details.add(shows(r, verdict));
        }
        jobSentence(r, verdict, job).ifPresent(details::add);
        Optional<String> largest = largest(r, verdict, job);
        largest.ifPresent(details::add);
        if (fragment && largest.isEmpty() && job.rows().isEmpty()) {
            largestTasks(r).ifPresent(details::add);
        }
        invokerSentence(r, pid).ifPresent(details::add);
        hiddenMemory(r).ifPresent(details::add);
        for (ReaperEvent e : r.reaped()) {
            details.add("oom_reaper " + e.outcome() + " PID " + e.pid() + (e.anonRssKiB() != null
                    ? " (now anon-rss " + e.anonRssKiB() + " kB)" : "") + ".");
        }
        if (r.oomGroup() != null) {
            details.add("memory.oom.group is set on " + r.oomGroup() + ": the kernel killed all "
                    + r.killed().size() + " of its processes together.");
        }
        List<String> advice = new Advice(pageKiB).forReport(verdict, r, job);
        return new Explanation(verdict, confidence(r, verdict), pid, comm, when, summary, details, advice,
                evidence(r, job), r.missing(), r, job);
    }

    /** The summary's start for a report whose kill line is not in the log. */
    private static String fragmentSentence(OomReport r, Integer chosen, String comm, String when) {
        if (chosen != null) {
            return "The kernel OOM killer chose PID " + chosen + (comm == null ? "" : " (" + comm + ")") + " at " + when
                    + ", but the log ends before its kill line";
        }
        if (r.header() != null) {
            return "The kernel OOM killer was invoked by " + r.header().invoker()
                    + (r.invokerPid() == null ? "" : " (PID " + r.invokerPid() + ")") + " at " + when
                    + ", but the log does not show what it killed";
        }
        return "Part of a kernel OOM report, at " + when + " (its start and its kill line are not in the log)";
    }

    /** For a fragment: which parts of a report it holds, so the reader knows what the rest rests on. */
    private String shows(OomReport r, Verdict v) {
        List<String> parts = new ArrayList<>();
        if (r.header() != null) {
            parts.add("the invocation (" + r.header().invoker() + (r.invokerPid() == null ? "" : ", PID " + r.invokerPid())
                    + ")");
        }
        MemInfo m = r.memInfo();
        if (m != null) {
            if (m.freeSwapKiB() != null && m.totalSwapKiB() != null) {
                parts.add(m.totalSwapKiB() == 0 ? "the memory state (no swap)" : "the memory state (swap: "
                        + Sizes.kib(m.freeSwapKiB()) + " free of " + Sizes.kib(m.totalSwapKiB()) + ")");
            } else {
                parts.add("part of the memory state");
            }
        }
        if (r.memcg() != null) {
            parts.add("the memory cgroup " + r.memcg().cgroup().orElse("(unnamed)")
                    + limiting(r.memcg()).map(h -> " (" + h.kind() + " " + Sizes.kib(h.usageKiB()) + " of "
                    + Sizes.kib(h.limitKiB()) + ")").orElse(""));
        }
        if (!r.tasks().isEmpty()) {
            parts.add("the task table (" + r.tasks().size() + (r.tasks().size() == 1 ? " process)" : " processes)"));
        }
        return "The log holds only part of this OOM report: " + (parts.isEmpty() ? "no more than its first line"
                : String.join(", ", parts)) + " (what is missing is listed below).";
    }

    /** The largest processes in a fragment's task table (resident + swapped). */
    private Optional<String> largestTasks(OomReport r) {
        if (r.tasks().isEmpty()) {
            return Optional.empty();
        }
        List<String> top = r.tasks().stream()
                .sorted(Comparator.comparingLong((TaskRow t) -> t.rssPages() + t.swapPages()).reversed()).limit(3)
                .map(t -> t.name() + " (PID " + t.pid() + ", " + Sizes.kib((t.rssPages() + t.swapPages()) * pageKiB) + ")")
                .toList();
        return Optional.of("The largest processes in the task table (resident + swapped): " + String.join(", ", top) + ".");
    }

    static Verdict verdict(OomReport r) {
        if (r.constraint() != null && r.constraint().kind() != null) {
            switch (r.constraint().kind()) {
                case "CONSTRAINT_MEMCG": return Verdict.CGROUP_LIMIT;
                case "CONSTRAINT_CPUSET": return Verdict.CPUSET_CONSTRAINT;
                case "CONSTRAINT_MEMORY_POLICY": return Verdict.MEMPOLICY_CONSTRAINT;
                case "CONSTRAINT_NONE": return Verdict.MACHINE_OOM;
                default: break;
            }
        }
        if (r.memcgLimit()) {
            return Verdict.CGROUP_LIMIT;
        }
        if (r.mpolBind()) {
            return Verdict.MEMPOLICY_CONSTRAINT;
        }
        if (r.memInfo() != null) {
            return Verdict.MACHINE_OOM;
        }
        return Verdict.KERNEL_OOM;
    }

    private static Confidence confidence(OomReport r, Verdict v) {
        if (r.victim().isEmpty()) {
            return Confidence.LOW;
        }
        return v == Verdict.KERNEL_OOM || r.header() == null ? Confidence.MEDIUM : Confidence.HIGH;
    }

    private String cause(Verdict v, OomReport r) {
        switch (v) {
            case MACHINE_OOM: {
                MemInfo m = r.memInfo();
                List<String> parts = new ArrayList<>();
                if (m != null && m.ramPages() != null) {
                    parts.add(Sizes.kib(m.ramPages() * pageKiB) + " RAM");
                }
                if (m != null && m.totalSwapKiB() != null) {
                    parts.add(m.totalSwapKiB() == 0 ? "no swap" : Sizes.kib(m.totalSwapKiB()) + " swap");
                }
                if (m != null && m.freeSwapKiB() != null && m.totalSwapKiB() != null && m.totalSwapKiB() > 0) {
                    parts.add("`Free swap = " + m.freeSwapKiB() + "kB`");
                }
                return v.meaning().replace(" (RAM + swap)", "") + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
            }
            case CGROUP_LIMIT: {
                MemcgBlock c = r.memcg();
                String path = c == null ? null : c.cgroup().orElse(null);
                CgroupOwner.Owner o = path == null ? null : CgroupOwner.of(path);
                String owner = o == null ? "a memory cgroup" : o.kind() == CgroupOwner.Kind.CGROUP
                        ? "the memory " + o.description() : "the memory cgroup of " + o.description();
                Optional<MemcgCounter> hit = c == null ? Optional.empty() : limiting(c);
                Optional<SlurmCgroup> slurm = SlurmCgroup.of(path);
                if (slurm.isPresent()) {
                    return "Slurm job " + slurm.get().jobId() + " exceeded its memory allocation"
                            + hit.map(h -> " of " + SlurmCgroup.memArg(h.limitKiB() * 1024)).orElse("")
                            + " (--mem): its memory cgroup " + path + " reached its limit"
                            + hit.map(h -> ", " + h.kind() + " usage " + Sizes.kib(h.usageKiB()) + " of "
                            + Sizes.kib(h.limitKiB()) + " (failcnt " + h.failcnt() + ")").orElse("");
                }
                return owner + " reached its limit" + hit.map(h -> ": " + h.kind() + " usage "
                        + Sizes.kib(h.usageKiB()) + " of " + Sizes.kib(h.limitKiB()) + " (failcnt " + h.failcnt() + ")")
                        .orElse("");
            }
            case CPUSET_CONSTRAINT:
                return v.meaning() + (r.constraint() != null && r.constraint().memsAllowed() != null
                        ? " (mems_allowed=" + r.constraint().memsAllowed() + "); other nodes may have had memory" : "");
            case MEMPOLICY_CONSTRAINT:
                return v.meaning() + " (MPOL_BIND"
                        + (r.header() != null && r.header().nodemask() != null ? ", nodemask=" + r.header().nodemask() : "")
                        + "); other nodes may have had memory";
            default:
                return "the report's memory part is missing, so whether the machine or a cgroup limit ran out is unknown";
        }
    }

    /** The counter whose limit was reached: the finite one with usage nearest its limit. */
    static Optional<MemcgCounter> limiting(MemcgBlock c) {
        return c.counters().stream().filter(x -> !x.unlimited() && !x.kind().equals("kmem"))
                .max(Comparator.comparingDouble(x -> x.limitKiB() == 0 ? 1.0 : x.usageKiB() / (double) x.limitKiB()));
    }

    private Optional<String> jobSentence(OomReport r, Verdict v, JobProcesses job) {
        if (job.rows().isEmpty()) {
            return Optional.empty();
        }
        String name = job.commonName().isEmpty() ? "" : job.commonName() + " ";
        String whose = v == Verdict.CGROUP_LIMIT ? "The cgroup's " : "The job's ";
        String n = job.rows().size() + " " + name + "processes";
        String subject = job.rows().size() == 1
                ? job.rows().get(0).name() + " (PID " + job.rows().get(0).pid() + ")" : whose + n;
        StringBuilder sb = new StringBuilder(subject + " held " + Sizes.kib(job.rssKiB()) + " resident (RSS"
                + (job.rows().size() > 1 ? "; forked workers share pages, so this overstates" : "") + ")");
        if (job.swapKiB() > 0) {
            sb.append(" + ").append(Sizes.kib(job.swapKiB())).append(" swapped");
        }
        // A cgroup's own counter already says how full it was; RSS would double-count shared pages.
        Optional<Long> capacity = v == Verdict.CGROUP_LIMIT ? Optional.empty() : capacityKiB(r, v);
        capacity.filter(c -> c > 0).ifPresent(c -> sb.append(" — ").append(percent(job.rssKiB() + job.swapKiB(), c))
                .append(" of RAM + swap"));
        job.master().ifPresent(m -> sb.append("; the master (PID ").append(m.pid()).append(") alone ")
                .append(Sizes.kib(m.rssPages() * pageKiB)).append(" resident")
                .append(m.swapPages() > 0 ? " and " + Sizes.kib(m.swapPages() * pageKiB) + " swapped" : ""));
        sb.append('.');
        List<TaskRow> workers = job.workers();
        if (workers.size() >= 2) {
            long min = workers.stream().mapToLong(TaskRow::rssPages).min().orElse(0) * pageKiB;
            long max = workers.stream().mapToLong(TaskRow::rssPages).max().orElse(0) * pageKiB;
            sb.append(" Each of the ").append(workers.size()).append(" workers held about ")
                    .append(range(min, max)).append(" resident.");
        }
        return Optional.of(sb.toString());
    }

    static String percent(long part, long whole) {
        double p = 100.0 * part / whole;
        return p < 1 ? "under 1%" : String.format(Locale.ROOT, "about %.0f%%", p);
    }

    /** For a machine-wide OOM the victim may be a bystander: name the largest users in the table. */
    private Optional<String> largest(OomReport r, Verdict v, JobProcesses job) {
        Optional<Long> capacity = capacityKiB(r, v);
        if (v != Verdict.MACHINE_OOM || r.tasks().isEmpty() || capacity.isEmpty()
                || (job.rssKiB() + job.swapKiB()) * 2 > capacity.get()) {
            return Optional.empty();
        }
        java.util.Map<String, long[]> byName = new java.util.LinkedHashMap<>();
        for (TaskRow t : r.tasks()) {
            long[] acc = byName.computeIfAbsent(t.name(), k -> new long[2]);
            acc[0] += (t.rssPages() + t.swapPages()) * pageKiB;
            acc[1]++;
        }
        List<String> top = byName.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(3)
                .map(e -> e.getKey() + " (" + e.getValue()[1] + (e.getValue()[1] == 1 ? " process, " : " processes, ")
                        + Sizes.kib(e.getValue()[0]) + ")")
                .toList();
        return Optional.of("The largest users in the task table (resident + swapped): " + String.join(", ", top) + ".");
    }

    static String range(long minKiB, long maxKiB) {
        String lo = Sizes.kib(minKiB);
        String hi = Sizes.kib(maxKiB);
        if (lo.equals(hi)) {
            return lo;
        }
        if (maxKiB * 2 >= Sizes.KIB_PER_GIB) { // compare workers in the unit the totals use
            lo = Sizes.gib1(minKiB);
            hi = Sizes.gib1(maxKiB) + " GiB";
            return lo.equals(Sizes.gib1(maxKiB)) ? hi : lo + "–" + hi;
        }
        String[] l = lo.split(" ");
        String[] h = hi.split(" ");
        return l[1].equals(h[1]) ? l[0] + "–" + hi : lo + "–" + hi;
    }

    /** What the job could use: RAM + swap for the machine, the cgroup's limit for a cgroup. */
    Optional<Long> capacityKiB(OomReport r, Verdict v) {
        if (v == Verdict.CGROUP_LIMIT && r.memcg() != null) {
            return limiting(r.memcg()).map(MemcgCounter::limitKiB);
        }
        MemInfo m = r.memInfo();
        if (m == null || m.ramPages() == null) {
            return Optional.empty();
        }
        return Optional.of(m.ramPages() * pageKiB + (m.totalSwapKiB() == null ? 0 : m.totalSwapKiB()));
    }

    private static Optional<String> invokerSentence(OomReport r, Integer victimPid) {
        List<String> parts = new ArrayList<>();
        if (r.header() != null && (r.invokerPid() == null || !r.invokerPid().equals(victimPid))) {
            parts.add("the allocation that failed was made by " + r.header().invoker()
                    + (r.invokerPid() == null ? "" : " (PID " + r.invokerPid() + ")") + " (gfp_mask=" + r.header().gfpMask()
                    + (r.header().gfpFlags() == null || r.header().gfpFlags().isEmpty() ? "" : "(" + r.header().gfpFlags() + ")")
                    + ", order " + r.header().order() + ")");
        }
        if (r.selection() != null && victimPid != null && r.selection().pid() != victimPid) {
            parts.add("the kernel selected PID " + r.selection().pid() + " (" + r.selection().comm() + ", score "
                    + r.selection().score() + ") and killed its child PID " + victimPid + " instead");
        }
        if ("pagefault_out_of_memory".equals(r.traceHint())) {
            parts.add("the OOM came from a page fault (often a kmem-limited cgroup)");
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        String s = String.join("; ", parts);
        return Optional.of(Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".");
    }

    /** Memory no process shows: hugetlb pools and tmpfs//dev/shm, when a tenth of RAM or more. */
    private Optional<String> hiddenMemory(OomReport r) {
        if (r.memcg() != null) {
            Optional<MemcgCounter> hit = limiting(r.memcg());
            java.util.Map<String, Long> stat = r.memcg().statBytes();
            long shmemBytes = Math.max(stat.getOrDefault("shmem", 0L), stat.getOrDefault("total_shmem", 0L));
            if (hit.isPresent() && shmemBytes / 1024 * 10 >= hit.get().limitKiB() && shmemBytes > 0) {
                return Optional.of("Memory no process shows: " + Sizes.kib(shmemBytes / 1024)
                        + " of the cgroup's charge is tmpfs or /dev/shm (shmem) — it stays charged after processes exit.");
            }
        }
        MemInfo m = r.memInfo();
        if (m == null || m.ramPages() == null || m.ramPages() == 0) {
            return Optional.empty();
        }
        long ramKiB = m.ramPages() * pageKiB;
        List<String> parts = new ArrayList<>();
        if (m.hugepagesKiB() != null && m.hugepagesKiB() * 10 >= ramKiB) {
            parts.add(Sizes.kib(m.hugepagesKiB()) + " is reserved in hugetlb pools");
        }
        long shmemKiB = m.pages("shmem").orElse(0L) * pageKiB;
        if (shmemKiB * 10 >= ramKiB) {
            parts.add(Sizes.kib(shmemKiB) + " is in tmpfs or /dev/shm (Shmem)");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of("Memory no process shows: " + String.join(", ", parts)
                + String.format(Locale.ROOT, " — of %s RAM; freeing it may avoid the next OOM.", Sizes.kib(ramKiB)));
    }

    private static List<String> evidence(OomReport r, JobProcesses job) {
        List<String> lines = new ArrayList<>(r.evidence());
        if (!job.rows().isEmpty() && r.taskTableHeader() != null) {
            int at = Math.max(0, lines.size() - (int) lines.stream().filter(l -> l.contains("ill process")
                    || l.startsWith("oom-kill:") || l.contains("oom_reaper")).count());
            List<String> rows = new ArrayList<>();
            rows.add(r.taskTableHeader());
            job.rows().stream().limit(MAX_QUOTED_ROWS).forEach(t -> rows.add(t.line()));
            if (job.rows().size() > MAX_QUOTED_ROWS) {
                rows.add("… " + (job.rows().size() - MAX_QUOTED_ROWS) + " more rows of the job");
            }
            lines.addAll(at, rows);
        }
        return lines;
    }
}
