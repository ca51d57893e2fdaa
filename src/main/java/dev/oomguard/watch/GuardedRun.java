package dev.oomguard.watch;

import dev.oomguard.launch.JobSignals;
import dev.oomguard.launch.GroupSignals;
import dev.oomguard.checkpoint.CheckpointRequest;
import dev.oomguard.trigger.Triggers;
import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.checkpoint.Checkpoints;
import dev.oomguard.explain.DeadProcess;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.OomCounters;
import dev.oomguard.explain.Verdict;
import dev.oomguard.files.PrivateDirectory;
import dev.oomguard.guard.GuardSettings;
import dev.oomguard.guard.Ladder;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.StallDetector;
import dev.oomguard.guard.StallSettings;
import dev.oomguard.kernellog.DevKmsgSource;
import dev.oomguard.launch.CallerContext;
import dev.oomguard.launch.Orphans;
import dev.oomguard.launch.SlurmStep;
import dev.oomguard.launch.Spawner;
import dev.oomguard.launch.Supervisor;
import dev.oomguard.launch.WaitStatus;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.proc.Signal;
import dev.oomguard.report.PromTextfile;
import dev.oomguard.report.RecordHeader;
import dev.oomguard.report.RunEnd;
import dev.oomguard.report.RunRecord;
import dev.oomguard.report.RunSummaryText;
import dev.oomguard.report.SummaryJson;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import dev.oomguard.sample.TreeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One guarded run, start to end: the transparent prefix ({@link Supervisor}) with the guard's
 * tick loop ({@link Watcher}) attached once the job runs, its decisions carried out
 * ({@link Responder}), every kill explained from the kernel log, and the summary and exit status.
 */
public final class GuardedRun {
    /** Everything the user chose. */
    public record Options(GuardSettings guard, LimitSources limits, Duration interval, Responder.Settings act,
            boolean preserveStatus, boolean allowPartial, boolean quiet, Supervisor.Settings supervise,
            boolean reraise, Optional<Path> record, Optional<Path> summaryJson, Map<String, String> settings,
            Optional<Path> promTextfile, String name, Duration promInterval, boolean title, boolean status,
            Optional<Path> html, StallSettings stall) {
        /** The same options, with the job started in {@code group}. */
        public Options inCgroup(Optional<dev.oomguard.proc.JobCgroup> group) {
            return new Options(guard, limits, interval, act, preserveStatus, allowPartial, quiet,
                    new Supervisor.Settings(supervise.orphanGrace(), supervise.keepOrphans(), group), reraise,
                    record, summaryJson, settings, promTextfile, name, promInterval, title, status, html, stall);
        }
    }

    /** Something the run needs before the job starts could not be set up (oomguard's own error, 125). */
    public static final class SetupFailure extends RuntimeException {
        SetupFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** How oomguard ends: a status, or death by the job's signal. */
    public record Ending(int status, int reraiseSignal) {
    }

    /** Status when oomguard stopped the job, or the job lost processes to the OOM killer. */
    public static final int MEMORY_STATUS = 137;

    private final LibC libc;
    private final Consumer<String> say;
    private final Consumer<String> detail;
    private final Consumer<String> unshown;
    private final java.io.PrintWriter err;
    private final boolean stderrIsTerminal;
    private final ProcFs fs = ProcFs.system();

    /** The explanations of a run's kills, and whether any of them was for memory. */
    private record Explained(List<String> lines, boolean memoryDeath, List<Explanation> explanations) {
    }

    public GuardedRun(LibC libc, Consumer<String> say, Consumer<String> detail, java.io.PrintWriter err) {
        this(libc, say, detail, err, line -> { });
    }

    /**
     * @param unshown where the summary goes when {@code --quiet} keeps it off stderr (the
     *     {@code --log} file, which has the summary of every run)
     */
    public GuardedRun(LibC libc, Consumer<String> say, Consumer<String> detail, java.io.PrintWriter err,
            Consumer<String> unshown) {
        this.libc = libc;
        this.say = say;
        this.detail = detail;
        this.err = err;
        this.unshown = unshown;
        this.stderrIsTerminal = libc.isatty(2) == 1;
    }

    /**
     * @throws Spawner.SpawnFailure when the command cannot be started
     */
    public Ending run(String display, List<byte[]> argv, CallerContext caller, Options o) {
        Optional<PrivateDirectory> dir = checkpointDirectory();
        try {
            return run(display, argv, caller, o, dir.map(PrivateDirectory::path));
        } finally {
            dir.ifPresent(PrivateDirectory::close); // whatever the end: 125, 127, or the job's
        }
    }

    private Ending run(String display, List<byte[]> argv, CallerContext caller, Options o,
            Optional<Path> checkpointDir) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        int self = libc.getpid();
        Optional<Path> checkpointFile = checkpointDir.map(d -> d.resolve("checkpoint"));
        Map<String, String> extraEnv = new LinkedHashMap<>();
        extraEnv.put("OOMGUARD_PID", Integer.toString(self));
        checkpointFile.ifPresent(f -> extraEnv.put("OOMGUARD_CHECKPOINT_FILE", f.toString()));
        RunRecord record = null;
        if (o.record().isPresent()) {
            try {
                record = RunRecord.open(o.record().get(), RecordHeader.local(display, RunOutputs.version(), self, started,
                        o.interval(), o.act().dryRun(), o.settings(), List.of()));
            } catch (IOException e) {
                throw new SetupFailure("--record: " + e.getMessage());
            }
        }
        CompletableFuture<OptionalLong> kmsgSeq = CompletableFuture.supplyAsync(
                () -> new DevKmsgSource().nextSequence(Duration.ofSeconds(2)));

        Supervisor supervisor = new Supervisor(libc, new Spawner(libc, SelfFiles.live()),
                new Orphans(libc, fs), say);
        Hooks hooks = new Hooks(Duration.ofSeconds(30), say);
        Optional<SlurmStep> slurm = SlurmStep.of(fs, self, System.getenv());
        slurm.ifPresent(supervisor::insideSlurm);
        supervisor.onReceived(detail);
        Map<String, String> jobContext = new LinkedHashMap<>(extraEnv);
        jobContext.put("OOMGUARD_COMMAND", display);
        Responder.Settings act = new Responder.Settings(o.act().dryRun(), o.act().checkpointSignal(),
                o.act().onCheckpoint(), o.act().notifyCommand(), o.act().onPartial(),
                o.act().checkpointFile().or(() -> checkpointFile), o.act().checkpointTimeout());
        Checkpoints checkpoints = new Checkpoints(act.checkpointFile(),
                act.checkpointTimeout().orElse(o.guard().checkpointLead()), java.time.Clock.systemUTC(), System::nanoTime);
        Optional<KernelEvents> kernel = kernelEvents();
        JobSignals signals = GroupSignals.of(supervisor);
        Optional<Reflex> reflex = reflex(act, kernel, checkpoints, signals);
        Responder responder = new Responder(act, signals, say, hooks, jobContext, checkpoints,
                Responder.Wording.DRY_RUN, reflex);
        if (record != null) {
            checkpoints.onAnswer(record::checkpoint);
        }
        RunRecord recording = record;
        supervisor.onRelay(sig -> {
            if (recording != null) {
                recording.signalForwarded(sig);
            }
            if (sig == Signal.USR1.number() && slurm.isPresent()) {
                String reason = "SIGUSR1 inside Slurm job " + slurm.get().step().jobId()
                        + " (sbatch --signal, scancel --signal=USR1): checkpoint now";
                if (recording != null) {
                    recording.event("checkpoint_requested", reason);
                }
                responder.checkpointRequested(reason, sig);
            }
        });
        RunSummary summary = new RunSummary(new dev.oomguard.kernellog.KillLog(new DevKmsgSource(),
                () -> kmsgSeq.getNow(OptionalLong.empty())));
        supervisor.onSpawn(pid -> firstLook(pid, summary));
        RunRecord recordTo = record;
        String jobName = o.name() == null || o.name().isBlank() ? PromTextfile.nameOf(display) : o.name();
        Watcher.Listener recorded = record == null ? responder : new Recorded(record, responder);
        Published published = o.promTextfile().map(f -> new Published(recorded, f, jobName, o.promInterval(), summary,
                startNanos, started.toEpochMilli() / 1000.0, say)).orElse(null);
        TerminalStatus terminal = new TerminalStatus(published == null ? recorded : published, err,
                o.title() && stderrIsTerminal, o.status() && stderrIsTerminal);
        Watcher.Listener listener = new Stalled(terminal, new StallDetector(o.stall()), summary);
        AtomicReference<Watcher> watcher = new AtomicReference<>();
        AtomicReference<Sample> first = new AtomicReference<>();
        AtomicReference<String> jobCgroup = new AtomicReference<>();

        // Before the job starts: their native calls are warm when a race begins.
        Triggers triggers = new Triggers(fs, kernel, say, detail, System::nanoTime,
                o.supervise().cgroup().map(g -> g.directory().toString()), o.interval(), reflex);
        // Start the job with an empty young generation: the first collection (milliseconds here,
        // and no Java thread runs meanwhile) then comes long after the job's first seconds.
        System.gc();
        warmFirstLook(self);
        Supervisor.Outcome outcome = supervisor.run(argv, caller.environmentWith(extraEnv), caller, o.supervise(),
                pid -> {
                    detail.accept("started " + display + " as PID " + pid);
                    responder.jobStarted(pid);
                    try {
                        CgroupPaths.read(fs, pid).flatMap(p -> p.v1Memory().or(p::v2)).ifPresent(jobCgroup::set);
                        Sampler sampler = new Sampler(fs, TreeSpec.of(pid).adoptedBy(self), o.limits());
                        Watcher w = new Watcher(sampler, new Ladder(o.guard()), summary, o.interval(),
                                System::nanoTime, listener, checkpoints::inProgress, Optional.of(triggers), pid);
                        watcher.set(w);
                        w.finalSample().ifPresent(first::set);
                        Optional.ofNullable(first.get()).filter(f -> o.guard().checkpointReserve().bytes() > 0
                                && f.binding().capacity().compareTo(o.guard().checkpointReserve()) <= 0)
                                .ifPresent(f -> say.accept("--checkpoint-reserve " + o.guard().checkpointReserve()
                                        + " does not fit in the binding limit (" + f.binding().description()
                                        + "): the checkpoint will be asked as soon as the job grows"));
                        rehearse(o, hooks, first.get(), checkpointDir);
                        SlurmNote.of(System.getenv(), jobCgroup.get(), Optional.ofNullable(first.get()))
                                .ifPresent(detail);
                        w.start();
                    } catch (RuntimeException e) {
                        responder.failed(e);
                        if (recordTo != null) {
                            recordTo.monitoringFailed(e);
                        }
                    }
                });
        Instant ended = Instant.now();
        WaitStatus status = outcome.status();
        try {
            return report(display, o, outcome, status, responder, summary, hooks, watcher.get(), first.get(),
                    jobCgroup.get(), started, ended, startNanos, kmsgSeq, Optional.ofNullable(record),
                    Optional.ofNullable(published), terminal);
        } catch (RuntimeException e) {
            // Whatever failed in the reporting, the job's own status is passed through.
            say.accept("internal error while reporting (" + e + "); the job's status is passed through");
            return ending(status, responder, 0, o);
        } finally {
            reflex.ifPresent(Reflex::close);
            if (record != null) {
                record.close();
            }
        }
    }

    private Ending report(String display, Options o, Supervisor.Outcome outcome, WaitStatus status,
            Responder responder, RunSummary summary, Hooks hooks, Watcher watcher, Sample first, String jobCgroup,
            Instant started, Instant ended, long startNanos, CompletableFuture<OptionalLong> kmsgSeq,
            Optional<RunRecord> record, Optional<Published> published, TerminalStatus terminal) {
        Optional<Sample> last = Optional.empty();
        responder.jobEnded();
        if (watcher != null) {
            watcher.stop();
            last = watcher.finalSample();
        }
        endPeaks(o, outcome, summary);
        List<dev.oomguard.guard.Checkpoint> checkpoints = responder.checkpoints(); // before the record's exit line
        List<PartialKill> partial = responder.partial(summary.partialKills());
        long unseen = unseenKills(o, status, partial.size());
        Explained explained = explain(outcome, status, responder, summary, partial, unseen > 0,
                first, last.orElse(null), jobCgroup, started, ended, kmsgSeq);
        record.ifPresent(r -> explained.explanations().forEach(r::explanation));
        Ending ending = ending(status, responder, partial.size() + unseen, o);
        String statusText = describe(status, ending, responder, partial.size() + unseen);
        responder.exited(statusText);
        hooks.drain();
        RunEnd end = RunEnd.of(outcome.pid(), status, ending.status(), statusText, responder.stoppedByGuard());
        terminal.finish(statusText);
        published.ifPresent(p -> p.finish(ending.status(), responder.stoppedByGuard(),
                explained.explanations().isEmpty() ? null
                        : explained.explanations().get(0).verdict().name().toLowerCase(java.util.Locale.ROOT)));
        record.ifPresent(r -> {
            r.exit(end);
            r.close();
            r.problem().ifPresent(p -> say.accept("--record: " + p.getMessage() + "; the record stops there"));
            o.html().ifPresent(out -> RunOutputs.writeHtml(r.path(), out, say, detail));
        });

        // What --quiet still reports: anything oomguard did or saw besides a clean run (processes the
        // job left running were named on stderr already: the summary gives that line its context).
        boolean notable = !summary.actions().isEmpty() || !partial.isEmpty() || unseen > 0 || ending.status() != 0
                || responder.monitoringFailed() || !outcome.leftBehind().isEmpty();
        {
            List<String> actions = responder.done().stream().map(Responder.Done::line).toList();
            List<String> partialLines = partial.stream()
                    .map(PartialKill::describe).collect(Collectors.toCollection(ArrayList::new));
            if (unseen > 0) {
                partialLines.add(unseen + " process(es) of the job killed by the kernel OOM killer before oomguard"
                        + " saw them (the job's own cgroup counted " + unseen + " more kill(s) than were seen)");
            }
            RunSummaryText.Facts facts = new RunSummaryText.Facts(display, statusText,
                    Duration.ofNanos(System.nanoTime() - startNanos), responder.stoppedByGuard() || explained.memoryDeath(),
                    actions, partialLines, explained.lines(), ownMemoryNote(jobCgroup, summary), responder.monitoringFailed(),
                    checkpoints, responder.stoppedByGuard());
            // --quiet: nothing on stderr for a run where nothing happened; the --log file has it all the same.
            Consumer<String> to = !o.quiet() || notable ? say : unshown;
            boolean unicode = java.nio.charset.Charset.defaultCharset().equals(java.nio.charset.StandardCharsets.UTF_8);
            for (String line : RunSummaryText.lines(facts, summary, terminal.sparkline(unicode))) {
                to.accept(line);
            }
            if (o.summaryJson().isPresent()) {
                try {
                    SummaryJson.write(o.summaryJson().get(), facts, summary, end, explained.explanations());
                } catch (IOException e) {
                    say.accept("--summary-json: " + e.getMessage());
                }
            }
        }
        return ending;
    }

    /**
     * The fast path's code, run once on throw-away objects (a responder whose signals go nowhere,
     * that says nothing and writes its flag file beside the real one): the first real crossing
     * then does not pay for class loading near the limit (measured: ~100 ms for the file write's).
     */
    private static void rehearse(Options o, Hooks hooks, Sample first, Optional<Path> checkpointDir) {
        if (first == null || first.treeEmpty()) {
            return;
        }
        Optional<Path> scratch = checkpointDir.map(d -> d.resolve("rehearsal"));
        try {
            Responder rehearsal = new Responder(new Responder.Settings(false, Optional.empty(), Optional.empty(),
                    Optional.empty(), Responder.OnPartial.WARN, scratch), new GroupSignals(() -> -1, sig -> { }), line -> { }, hooks,
                    Map.of());
            new Ladder(o.guard()).rehearse(first).forEach(rehearsal::act);
        } catch (RuntimeException e) {
            // A rehearsal only: nothing depends on it.
        } finally {
            scratch.ifPresent(f -> {
                removeFile(f);
                removeFile(f.resolveSibling(f.getFileName() + ".done"));
            });
        }
    }

    private static void removeFile(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // left in oomguard's private directory, removed with it at the end
        }
    }

    /** Kernel notifications for the triggers; libc's absence leaves polling. */
    private Optional<KernelEvents> kernelEvents() {
        try {
            return Optional.of(KernelEvents.load());
        } catch (RuntimeException | LinkageError e) {
            say.accept("cannot load libc for kernel notifications (" + e.getMessage() + "); polling instead");
            return Optional.empty();
        }
    }

    /** The checkpoint reflex, started, unless this is a dry run or there is nothing it could do. */
    private Optional<Reflex> reflex(Responder.Settings act, Optional<KernelEvents> kernel, Checkpoints checkpoints,
            JobSignals signals) {
        int signal = act.checkpointSignal().map(Signal::number).orElse(0);
        if (act.dryRun() || kernel.isEmpty() || !Reflex.possible(checkpoints, signal)) {
            return Optional.empty();
        }
        Reflex r = new Reflex(kernel.get(), new CheckpointRequest(checkpoints, signals), signal, detail);
        return r.start() ? Optional.of(r) : Optional.empty();
    }

    /**
     * Kills the job's own cgroup counted beyond those seen (a process can be born and killed
     * between two ticks). Only a group made for the job ({@code --memory-max}) is trusted for this.
     */
    private static long unseenKills(Options o, WaitStatus status, int seen) {
        if (o.supervise().cgroup().isEmpty()) {
            return 0;
        }
        OptionalLong kills = o.supervise().cgroup().get().oomKills();
        boolean mainKilled = status.signaled() && status.termSignal() == Signal.KILL.number();
        return kills.isPresent() ? Math.max(0, kills.getAsLong() - seen - (mainKilled ? 1 : 0)) : 0;
    }

    private Ending ending(WaitStatus status, Responder responder, long partial, Options o) {
        if (responder.stoppedByGuard() && !o.preserveStatus()) {
            return new Ending(MEMORY_STATUS, 0);
        }
        if (status.exited() && status.exitCode() == 0 && partial > 0 && !o.allowPartial()) {
            return new Ending(MEMORY_STATUS, 0);
        }
        boolean reraise = o.reraise() && status.signaled() && Signal.of(status.termSignal()).isPresent();
        return new Ending(status.shellStatus(), reraise ? status.termSignal() : 0);
    }

    private static String describe(WaitStatus status, Ending ending, Responder responder, long partial) {
        String s = status.toString();
        if (responder.stoppedByGuard()) {
            return s + "; stopped by oomguard" + (ending.status() == MEMORY_STATUS && status.shellStatus() != MEMORY_STATUS
                    ? " (oomguard exits " + MEMORY_STATUS + "; --preserve-status gives the job's own)" : "");
        }
        if (partial > 0 && status.exited() && status.exitCode() == 0) {
            return s + ", but " + partial + (partial == 1 ? " of its processes was" : " of its processes were") + " OOM-killed"
                    + (ending.status() == MEMORY_STATUS ? " (oomguard exits " + MEMORY_STATUS
                    + "; --allow-partial gives the job's own)" : " (--allow-partial)");
        }
        if (partial > 0) {
            return s + "; " + partial + " of its processes were OOM-killed before";
        }
        return s;
    }

    private Explained explain(Supervisor.Outcome outcome, WaitStatus status, Responder responder,
            RunSummary summary, List<PartialKill> partial, boolean unseenKills, Sample first, Sample last,
            String cgroup, Instant started, Instant ended, CompletableFuture<OptionalLong> kmsgSeq) {
        boolean sigkill = status.signaled() && status.termSignal() == Signal.KILL.number();
        if (!sigkill && partial.isEmpty() && !unseenKills) {
            return new Explained(List.of(), false, List.of());
        }
        KillExplainer explainer = new KillExplainer(summary, cgroup, started, ended, kmsgSeq, say, detail);
        boolean memoryDeath = false;
        try {
            OomCounters counters = RunOutputs.counters(first, last);
            List<DeadProcess> dead = new ArrayList<>();
            if (sigkill || (unseenKills && partial.isEmpty())) {
                // For kills nobody saw, the main process stands in: the report is matched by the cgroup.
                dead.add(explainer.dead(outcome.pid(), comm(summary, outcome.pid()),
                        sigkill ? DeadProcess.Death.signaled(status.termSignal())
                                : status.exited() ? DeadProcess.Death.exited(status.exitCode())
                                : DeadProcess.Death.signaled(status.termSignal()), responder.stoppedByGuard()));
            }
            for (PartialKill k : partial) {
                dead.add(explainer.killed(k.process().pid(), k.comm()));
            }
            for (DeadProcess p : dead) {
                Explanation e = explainer.correlate(p, counters);
                explainer.keep(e);
                if (e.verdict() != Verdict.OOMGUARD_STOP) {
                    explainer.tell(p.pid(), p.comm(), e);
                }
                memoryDeath |= e.verdict() != Verdict.SIGNAL && e.verdict() != Verdict.CRASHED
                        && e.verdict() != Verdict.EXITED && e.verdict() != Verdict.UNKNOWN;
            }
            explainer.reportProblems();
        } catch (RuntimeException e) {
            say.accept("could not explain the kill: " + e);
        }
        return new Explained(explainer.lines(), memoryDeath, explainer.explanations());
    }

    /**
     * The kernel's high-water marks known only at the end: the reaped processes' {@code ru_maxrss}
     * and the charged maximum of the job's own group. A process started from oomguard's own memory
     * map (the job: {@code posix_spawn} shares it until {@code exec}, and {@code exec} keeps the old
     * map's high-water mark in the figure) reports at least oomguard's own high-water mark then:
     * a figure not above oomguard's own {@code VmHWM} may be that one, so it is left out (the
     * sampled {@code VmHWM} covers the job then).
     */
    private void endPeaks(Options o, Supervisor.Outcome outcome, RunSummary summary) {
        try {
            long ownHwmKiB = ownHwmKiB();
            long atSpawn = ownHwmAtSpawnKiB.get();
            long jobBound = atSpawn > 0 ? atSpawn : ownHwmKiB;
            outcome.jobMaxRssKiB().stream().filter(k -> k > jobBound).forEach(summary::reapedMaxRss);
            // Orphans descend from the job (started from its maps, not oomguard's); a command oomguard ran
            // itself that escaped its group would carry oomguard's mark: at most that, it is left out too.
            outcome.orphansMaxRssKiB().stream().filter(k -> k > ownHwmKiB).forEach(summary::reapedMaxRss);
            if (!summary.peak().known()) {
                outcome.jobMaxRssKiB().ifPresent(summary::unmeasuredBoundKiB);
            }
            o.supervise().cgroup().flatMap(dev.oomguard.proc.JobCgroup::peakBytes).ifPresent(p -> summary.groupPeak(
                    new dev.oomguard.guard.JobPeak.GroupPeak(o.supervise().cgroup().get().directory().toString(),
                            p.getKey(), p.getValue())));
        } catch (RuntimeException e) {
            detail.accept("could not read the job's high-water marks at its end (" + e.getMessage() + ")");
        }
    }

    /** oomguard's own {@code VmHWM} now (KiB); {@code Long.MAX_VALUE} when unreadable (nothing passes it). */
    private long ownHwmKiB() {
        return fs.readProcess(libc.getpid(), "status").map(t -> dev.oomguard.proc.PidStatus.parse(t, "own status"))
                .map(dev.oomguard.proc.PidStatus::vmHwmKiB).filter(k -> k > 0).orElse(Long.MAX_VALUE);
    }

    /**
     * The first look at the job, the moment it is spawned: its {@code VmHWM} (a job that ends
     * within a millisecond may be gone before the first sample: then this is its only figure, when
     * it was caught), and oomguard's own high-water mark then, which the job's exit figure carries.
     */
    private void firstLook(int pid, RunSummary summary) {
        ownHwmAtSpawnKiB.set(ownHwmKiB());
        Optional<dev.oomguard.proc.PidStat> stat = dev.oomguard.proc.PidStat.read(fs, pid);
        if (stat.isEmpty() || stat.get().isDead()) {
            return;
        }
        // Read again and again for the first FIRST_LOOK_NANOS: a job that ends within them is read
        // just before its end, when its high-water mark is (nearly) its peak. Costs at most that much
        // CPU, once per run; a job that lives on is sampled from then on.
        long until = System.nanoTime() + FIRST_LOOK_NANOS;
        long hwm = 0;
        String name = stat.get().comm();
        do {
            Optional<dev.oomguard.proc.PidStatus> status = dev.oomguard.proc.PidStatus.read(fs, pid);
            if (status.isEmpty() || status.get().state() == 'Z' || status.get().state() == 'X') {
                break;
            }
            hwm = Math.max(hwm, status.get().vmHwmKiB());
            name = status.get().name();
        } while (System.nanoTime() < until);
        summary.firstLook(new dev.oomguard.sample.ProcessId(pid, stat.get().startTimeTicks()), name, hwm);
    }

    /** The first look's reads, once on oomguard itself: its code is loaded and warm when the job's first millisecond counts. */
    private void warmFirstLook(int self) {
        try {
            for (int i = 0; i < 3; i++) {
                dev.oomguard.proc.PidStat.read(fs, self);
                dev.oomguard.proc.PidStatus.read(fs, self);
                new dev.oomguard.sample.ProcessId(self, 0);
            }
        } catch (RuntimeException e) {
            // A warm-up only.
        }
    }

    /** How long the first look reads the job's {@code status} back to back: 10 ms. */
    static final long FIRST_LOOK_NANOS = 10_000_000;

    private final java.util.concurrent.atomic.AtomicLong ownHwmAtSpawnKiB = new java.util.concurrent.atomic.AtomicLong();

    /** When oomguard shares the job's memory cgroup, its own memory counts against the limit too: say how much. */
    private List<String> ownMemoryNote(String jobCgroup, RunSummary summary) {
        boolean cgroupBinds = summary.lowestHeadroom().map(l -> l.limit().source() == LimitSource.CGROUP_V1
                || l.limit().source() == LimitSource.CGROUP_V2).orElse(false);
        if (jobCgroup == null || !cgroupBinds) {
            return List.of();
        }
        Optional<String> own = CgroupPaths.read(fs, libc.getpid()).flatMap(p -> p.v1Memory().or(p::v2));
        // "/" binds only inside a container with a cgroup namespace of its own: then it is the container's.
        if (own.isEmpty() || !own.get().equals(jobCgroup)) {
            return List.of();
        }
        return fs.readProcess(libc.getpid(), "status").flatMap(text -> text.lines()
                .filter(l -> l.startsWith("VmRSS:")).findFirst())
                .map(l -> List.of("oomguard itself holds " + dev.oomguard.units.ByteSize.ofKiB(
                        Long.parseLong(l.replaceAll("[^0-9]", ""))).human() + " resident in the job's cgroup "
                        + jobCgroup + " (counted in its usage, not in the tree figures)"))
                .orElse(List.of());
    }

    private static String comm(RunSummary summary, int pid) {
        return summary.processPeaks().stream().filter(p -> p.process().pid() == pid).map(RunSummary.ProcessPeak::comm)
                .findFirst().orElse("");
    }

    /**
     * The flag file's directory: {@code $XDG_RUNTIME_DIR}, else {@code $TMPDIR}, else {@code /tmp},
     * the first that takes it, then {@code oomguard-RANDOM}, private (see {@link PrivateDirectory}). None when it cannot be
     * made: the job then gets no flag file, and is told so by the variable's absence.
     */
    private Optional<PrivateDirectory> checkpointDirectory() {
        List<String> bases = java.util.stream.Stream.of(System.getenv("XDG_RUNTIME_DIR"), System.getenv("TMPDIR"), "/tmp")
                .filter(b -> b != null && !b.isEmpty()).distinct().toList();
        String why = "";
        for (String base : bases) {
            try {
                return Optional.of(PrivateDirectory.create(Path.of(base), libc.geteuid()));
            } catch (IOException | RuntimeException e) {
                why = e.getMessage();
            }
        }
        detail.accept("no checkpoint flag file for this run: " + why);
        return Optional.empty();
    }
}
