package dev.oomguard.sample;

import dev.oomguard.proc.CgroupMemory;
import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.proc.OomScore;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.PidStatus;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SmapsRollup;
import dev.oomguard.proc.VmStat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One tick of measurement for the supervisor: {@code Sample s = sampler.sample();}. Owns what must
 * persist between ticks: the roots' start times (against PID reuse), the PSS ration, the job's
 * last known cgroup. Not thread-safe: one tick loop calls it.
 */
public final class Sampler {
    private final ProcFs fs;
    private final TreeSpec spec;
    private final LimitSources sources;
    private final LongSupplier nanoClock;
    private final List<CgroupMount> mounts;
    private final StallSampler stall;
    private final Map<Integer, Long> rootStartTimes = new HashMap<>();
    private final Map<ProcessId, long[]> pssByProcess = new HashMap<>(); // {tick read, pssKiB}
    /** Processes whose smaps_rollup this user may not read (another user's, watched): not tried again. */
    private final Set<ProcessId> pssDenied = new HashSet<>();
    /** Each process's last {@code status} read, with the {@code stat} figures seen with it. */
    private final Map<ProcessId, KnownStatus> statusByProcess = new HashMap<>();
    private final TreeWalk walk;
    /** Where the job was started, for a tree none of whose living members could be located (gone at once). */
    private final Optional<Located> startedIn;
    /** Whether the host was the binding limit at the last tick (with outside candidates wanted). */
    private boolean hostBound;
    private Located cgroup;
    private long tick;

    /**
     * @param startedIn the cgroups the job was started in (oomguard's own, or the group made for
     *                  it): its limits bind a job whose members are all gone before one is located,
     *                  rather than the host's
     */
    public Sampler(ProcFs fs, TreeSpec spec, LimitSources sources, LongSupplier nanoClock,
            Optional<CgroupPaths> startedIn) {
        this.fs = fs;
        this.spec = spec;
        this.sources = sources;
        this.nanoClock = nanoClock;
        this.mounts = CgroupMount.read(fs);
        this.stall = new StallSampler(fs, mounts);
        this.walk = new TreeWalk(fs);
        this.startedIn = startedIn.flatMap(this::locate);
    }

    /** For a tree located by its members only. */
    public Sampler(ProcFs fs, TreeSpec spec, LimitSources sources, LongSupplier nanoClock) {
        this(fs, spec, sources, nanoClock, Optional.empty());
    }

    /** With {@code System.nanoTime()} as clock. */
    public Sampler(ProcFs fs, TreeSpec spec, LimitSources sources) {
        this(fs, spec, sources, System::nanoTime);
    }

    public Sample sample() {
        long now = nanoClock.getAsLong();
        tick++;
        // The tree from its own children files, unless the host bound last time: then the outside
        // candidates need a scan of every process anyway, and one scan serves both.
        List<PidStat> scan = null;
        Optional<List<PidStat>> walked = walk.possible() && !hostBound ? walk.members(spec, rootStartTimes)
                : Optional.empty();
        List<PidStat> members;
        if (walked.isPresent()) {
            members = walked.get();
        } else {
            scan = scan();
            for (PidStat s : scan) {
                if (spec.rootPids().contains(s.pid())) {
                    rootStartTimes.putIfAbsent(s.pid(), s.startTimeTicks());
                }
            }
            members = TreeSelector.select(scan, spec, rootStartTimes);
        }
        List<ProcessMemory> tree = measure(members);
        TreeTotals totals = TreeTotals.of(tree);
        MemInfo host = MemInfo.read(fs);
        List<CgroupMemory> chain = cgroupChain(members);

        List<Limit> limits = new ArrayList<>(Limits.cgroups(chain, host));
        sources.userLimit().ifPresent(cap -> limits.add(Limits.user(cap, totals)));
        limits.add(Limits.host(host));
        Limit binding = Limits.binding(limits).orElseThrow();

        Map<String, Long> cgroupKills = new LinkedHashMap<>();
        for (CgroupMemory c : chain) {
            c.oomKills().ifPresent(n -> cgroupKills.put(c.directory(), n));
        }
        OomKillCounters kills = new OomKillCounters(VmStat.readOomKills(fs), cgroupKills);
        hostBound = binding.source() == LimitSource.HOST && sources.outsideCandidates() > 0;
        if (binding.source() == LimitSource.HOST && scan == null && sources.outsideCandidates() > 0) {
            scan = scan(); // the host binds now: the processes outside the tree are candidates too
        }
        List<OomCandidate> candidates = binding.source() == LimitSource.HOST
                ? oomCandidates(scan == null ? members : scan, members, tree) : List.of();
        return new Sample(now, tick, tree, totals, host, limits, binding, Limits.throttles(chain), kills, candidates,
                Optional.of(stall.read(members)));
    }

    private List<PidStat> scan() {
        List<PidStat> scan = new ArrayList<>();
        fs.pids().forEach(pid -> PidStat.read(fs, pid).ifPresent(scan::add)); // per process: compiled soon
        return scan;
    }

    /**
     * Per-process work sits in methods of its own ({@link #measureOne}): a loop in a method run once
     * per tick stays interpreted for many minutes (the JIT counts invocations), a method run once
     * per process is compiled within a tick or two. At rest that is most of the tick's own CPU.
     */
    private List<ProcessMemory> measure(List<PidStat> members) {
        List<ProcessMemory> tree = new ArrayList<>(members.size());
        Set<ProcessId> alive = new HashSet<>();
        int[] pssReads = {0};
        for (PidStat s : members) {
            measureOne(s, tree, alive, pssReads);
        }
        pssByProcess.keySet().retainAll(alive);
        pssDenied.retainAll(alive);
        statusByProcess.keySet().retainAll(alive);
        return tree;
    }

    private void measureOne(PidStat s, List<ProcessMemory> tree, Set<ProcessId> alive, int[] pssReads) {
        if (s.isDead()) {
            return; // a zombie has exited (maybe OOM-killed) and holds no memory: no longer a member
        }
        ProcessId id = new ProcessId(s.pid(), s.startTimeTicks());
        Optional<PidStatus> status = status(id, s);
        if (status.isEmpty()) {
            return; // exited between the scan and now
        }
        PidStatus st = status.get();
        alive.add(id);
        long[] last = pssByProcess.get(id);
        OptionalLong pss = last == null ? OptionalLong.empty() : OptionalLong.of(last[1]);
        long since = last == null ? -1 : tick - last[0];
        if (pssReads[0] < sources.pss().maxReadsPerTick() && sources.pss().due(st.rssKiB(), since)
                && !pssDenied.contains(id)) {
            pssReads[0]++;
            Optional<SmapsRollup> rollup;
            try {
                rollup = SmapsRollup.read(fs, s.pid());
            } catch (java.io.UncheckedIOException e) {
                // Another user's process (ptrace access needed): resident and swap still come from status.
                pssDenied.add(id);
                rollup = Optional.empty();
            }
            if (rollup.isPresent()) {
                pss = OptionalLong.of(rollup.get().pssKiB());
                pssByProcess.put(id, new long[] {tick, rollup.get().pssKiB()});
            }
        }
        tree.add(new ProcessMemory(id, s.ppid(), s.comm(), st.rssAnonKiB(), st.rssFileKiB(), st.rssShmemKiB(),
                st.vmSwapKiB(), pss, st.vmHwmKiB()));
    }

    /**
     * The process's {@code status} figures: read again unless its resident pages and its minor and
     * major fault counts are what they were at the last read (then no page came in, none left, so
     * the split of the same resident total and the swap are as read then), and at least every
     * {@link #STATUS_REFRESH_TICKS} ticks all the same. An idle tree then costs one {@code stat}
     * per process and tick, not a {@code stat} and a {@code status}.
     */
    private Optional<PidStatus> status(ProcessId id, PidStat s) {
        KnownStatus known = statusByProcess.get(id);
        if (known != null && s.minorFaults() >= 0 && known.rssPages == s.rssPages()
                && known.minorFaults == s.minorFaults() && known.majorFaults == s.majorFaults()
                && tick - known.tick < STATUS_REFRESH_TICKS) {
            return Optional.of(known.status);
        }
        Optional<PidStatus> status = PidStatus.read(fs, s.pid());
        status.ifPresent(st -> statusByProcess.put(id,
                new KnownStatus(tick, s.rssPages(), s.minorFaults(), s.majorFaults(), st)));
        return status;
    }

    /** Ticks after which a process's {@code status} is read again though nothing seemed to move. */
    static final int STATUS_REFRESH_TICKS = 12;

    private record KnownStatus(long tick, long rssPages, long minorFaults, long majorFaults, PidStatus status) {
    }

    /**
     * The job's memory cgroup and its ancestors, nearest first; v1 when mounted, else v2. Located
     * by the first living member, kept from tick to tick; until a member is located, where the job
     * was started. A process on its way out reads the root: the kernel moves it there
     * ({@code cgroup_exit}) before it is a zombie, while it is still a member here. So the root,
     * read from a member, never replaces a group known otherwise (a job that moved itself to the
     * root would be measured against the group it left: only root can do that, and rarely does).
     */
    private List<CgroupMemory> cgroupChain(List<PidStat> members) {
        boolean knownElsewhere = cgroup != null && !cgroup.isRoot() || startedIn.filter(l -> !l.isRoot()).isPresent();
        for (PidStat s : members) {
            Optional<CgroupPaths> paths = s.isDead() ? Optional.empty() : CgroupPaths.read(fs, s.pid());
            if (paths.isPresent()) {
                locate(paths.get()).filter(found -> !(found.isRoot() && knownElsewhere))
                        .ifPresent(found -> cgroup = found);
                break; // one living member's file a tick, however large the tree
            }
        }
        Located at = cgroup != null ? cgroup : startedIn.orElse(null);
        List<CgroupMemory> chain = new ArrayList<>();
        if (at == null) {
            return chain;
        }
        for (String path = at.path(); path != null; path = parent(path)) {
            CgroupMount.directoryOf(mounts, at.version(), path)
                    .flatMap(dir -> CgroupMemory.read(fs, at.version(), dir)).ifPresent(chain::add);
        }
        return chain;
    }

    private Optional<Located> locate(CgroupPaths paths) {
        if (CgroupMount.first(mounts, CgroupVersion.V1).isPresent() && paths.v1Memory().isPresent()) {
            return Optional.of(new Located(paths.v1Memory().get(), CgroupVersion.V1));
        }
        if (CgroupMount.first(mounts, CgroupVersion.V2).isPresent() && paths.v2().isPresent()) {
            return Optional.of(new Located(paths.v2().get(), CgroupVersion.V2));
        }
        return Optional.empty();
    }

    /** A cgroup path in the hierarchy of {@code version}. */
    private record Located(String path, CgroupVersion version) {
        boolean isRoot() {
            return path.equals("/");
        }
    }

    private static String parent(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private List<OomCandidate> oomCandidates(List<PidStat> scan, List<PidStat> members, List<ProcessMemory> tree) {
        Map<Integer, ProcessMemory> byPid = new HashMap<>();
        tree.forEach(p -> byPid.put(p.pid(), p));
        Set<Integer> inTree = new HashSet<>();
        members.forEach(m -> inTree.add(m.pid()));
        List<OomCandidate> out = new ArrayList<>();
        for (ProcessMemory p : tree) {
            OptionalInt score = OomScore.read(fs, p.pid());
            score.ifPresent(sc -> out.add(new OomCandidate(p.pid(), p.comm(), sc, true, p.rssKiB())));
        }
        scan.stream()
                .filter(s -> !inTree.contains(s.pid()) && s.rssPages() > 0)
                .sorted(Comparator.comparingLong(PidStat::rssPages).reversed())
                .limit(sources.outsideCandidates())
                .forEach(s -> OomScore.read(fs, s.pid()).ifPresent(sc ->
                        out.add(new OomCandidate(s.pid(), s.comm(), sc, false, s.rssPages() * 4)))); // 4 KiB pages: a rough figure, for ranking and naming only
        out.sort(Comparator.comparingInt(OomCandidate::oomScore).reversed());
        return out;
    }
}
