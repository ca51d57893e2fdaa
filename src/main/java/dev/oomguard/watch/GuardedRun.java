package dev.oomguard.watch;

import dev.oomguard.launch.JobSignals;
import dev.oomguard.launch.GroupSignals;
import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.checkpoint.Checkpoints;
import dev.oomguard.explain.DeadProcess;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.KillExplainer;
import dev.oomguard.explain.OomCounters;
import dev.oomguard.explain.Verdict;
import dev.oomguard.files.PrivateDirectory;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.GuardSettings;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.StallSettings;
import dev.oomguard.launch.CallerContext;
import dev.oomguard.launch.Orphans;
import dev.oomguard.launch.SlurmStep;
import dev.oomguard.launch.Spawner;
import dev.oomguard.launch.Supervisor;
import dev.oomguard.launch.WaitStatus;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.proc.Signal;
import dev.oomguard.report.RunEnd;
import dev.oomguard.report.RunRecord;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.sample.TreeSpec;
import dev.oomguard.trace.Phases;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One guarded run, start to end: the transparent prefix ({@link Supervisor}) with the guard's
 * {@link Session} (the tick loop, the relays, the {@link Responder}) attached once the job runs,
 * every kill explained from the kernel log, and the summary and exit status ({@link ExitStatus}).
 * What is run's own: the job's start and its checkpoint flag file, the triggers and the reflex,
 * Slurm's USR1, the high-water marks outside the ticks. Its steps are explicit ({@code run}):
 * what can refuse the run, set-up that needs no job, the job and the set-up that needs it, its end.
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

    private final LibC libc;
    private final Host host;
    private final Session.Output out;
    private final HighWaterMarks marks;

    public GuardedRun(LibC libc, Consumer<String> say, Consumer<String> detail, java.io.PrintWriter err) {
        this(libc, say, detail, err, NOWHERE);
    }

    /** An {@code unshown} that keeps nothing: the summary of a quiet run is then not even built. */
    public static final Consumer<String> NOWHERE = line -> { };

    /**
     * @param unshown where the summary goes when {@code --quiet} keeps it off stderr (the
     *     {@code --log} file, which has the summary of every run)
     */
    public GuardedRun(LibC libc, Consumer<String> say, Consumer<String> detail, java.io.PrintWriter err,
            Consumer<String> unshown) {
        this(libc, Host.live(libc), new Session.Output(say, detail, unshown, err));
    }

    /** @param libc how the job is started, waited for and signalled; everything else is read from {@code host} */
    GuardedRun(LibC libc, Host host, Session.Output out) {
        this.libc = libc;
        this.host = host;
        this.out = out;
        this.marks = new HighWaterMarks(host.fs(), host.pid(), out.detail());
    }

    /**
     * @throws Spawner.SpawnFailure when the command cannot be started
     */
    public Ending run(String display, List<byte[]> argv, CallerContext caller, Options o) {
        Optional<PrivateDirectory> dir = checkpointDirectory();
        Phases.mark("checkpoint directory made");
        try {
            return run(display, argv, caller, o, dir.map(PrivateDirectory::path));
        } finally {
            dir.ifPresent(PrivateDirectory::close); // whatever the end: 125, 127, or the job's
        }
    }

    /** What is set up before the job starts, for its start and its end. */
    private record Parts(Session session, Supervisor supervisor, Responder responder, Checkpoints checkpoints,
            CompletableFuture<FastParts> fast, Thread setUp, Map<String, String> jobEnv) {
    }

    private Ending run(String display, List<byte[]> argv, CallerContext caller, Options o,
            Optional<Path> checkpointDir) {
        // 1. What can refuse the run (oomguard's own error, 125): nothing has started yet.
        Session session = Session.open(host, out, o, display, o.act().dryRun(), o.settings());
        Phases.mark("session opened");
        CompletableFuture<FastParts> fast = CompletableFuture.completedFuture(FastParts.NONE);
        try {
            // 2. Set-up that needs no job; the parts that react fast, on a thread of their own meanwhile.
            Parts parts = prepare(session, display, o, checkpointDir);
            fast = parts.fast();
            // No System.gc() here any more: the young generation is a few MiB, and the attach fills it
            // within the job's first ~0.3 s with or without one (-Xlog:gc), so it only delayed the job.
            Phases.mark("guard set up");
            marks.warm();
            Phases.mark("first look warm");
            parts.setUp().start(); // beside the spawn, not beside the set-up above (they would share the cores)
            // 3. The job, and once it runs, the set-up that needs it (started, below).
            Supervisor.Outcome outcome = parts.supervisor().run(argv, caller.environmentWith(parts.jobEnv()), caller,
                    o.supervise(), pid -> started(parts, pid, display, o, checkpointDir));
            // 4. Its end.
            Phases.mark("job reaped");
            try {
                return report(parts, o, outcome);
            } catch (RuntimeException e) {
                // Whatever failed in the reporting, the job's own status is passed through.
                out.say().accept("internal error while reporting (" + e + "); the job's status is passed through");
                ExitStatus.Exit exit = exit(outcome.status(), parts.responder().stoppedByGuard(), 0, o);
                return new Ending(exit.status(), exit.reraiseSignal());
            }
        } finally {
            // Not waited for: a reflex still starting is closed once it has (never armed: no tick ran).
            fast.thenAccept(f -> f.reflex().ifPresent(Reflex::close));
            session.close();
        }
    }

    private Parts prepare(Session session, String display, Options o, Optional<Path> checkpointDir) {
        int self = host.pid();
        Optional<Path> checkpointFile = checkpointDir.map(d -> d.resolve("checkpoint"));
        Map<String, String> extraEnv = new LinkedHashMap<>();
        extraEnv.put("OOMGUARD_PID", Integer.toString(self));
        checkpointFile.ifPresent(f -> extraEnv.put("OOMGUARD_CHECKPOINT_FILE", f.toString()));
        Supervisor supervisor = new Supervisor(libc, new Spawner(libc, SelfFiles.live()),
                new Orphans(libc, host.fs()), out.say());
        // The Slurm step is read when the first signal is received: nothing else needs it (a job of a
        // millisecond receives none, and has no /proc/self/cgroup or slurm.conf read for it).
        Supplier<Optional<SlurmStep>> slurm = SlurmStep.once(host.fs(), self, host.environment());
        supervisor.insideSlurm(slurm);
        supervisor.onReceived(out.detail());
        Map<String, String> jobContext = new LinkedHashMap<>(extraEnv);
        jobContext.put("OOMGUARD_COMMAND", display);
        Responder.Settings act = new Responder.Settings(o.act().dryRun(), o.act().checkpointSignal(),
                o.act().onCheckpoint(), o.act().notifyCommand(), o.act().onPartial(),
                o.act().checkpointFile().or(() -> checkpointFile), o.act().checkpointTimeout());
        Checkpoints checkpoints = new Checkpoints(act.checkpointFile(),
                act.checkpointTimeout().orElse(o.guard().checkpointLead()), java.time.Clock.systemUTC(), System::nanoTime);
        JobSignals signals = GroupSignals.of(supervisor);
        CompletableFuture<FastParts> fast = new CompletableFuture<>();
        Thread setUp = new Thread(() -> {
            try {
                // Completed already (with none) when the job was gone before the guard could attach.
                FastParts made = FastParts.setUp(host, out, act, checkpoints, signals, o, () -> !fast.isDone());
                if (!fast.complete(made)) {
                    made.reflex().ifPresent(Reflex::close);
                }
            } finally {
                fast.complete(FastParts.NONE); // whatever escaped: the guard attaches without them
            }
        }, "oomguard-set-up");
        setUp.setDaemon(true);
        Responder responder = new Responder(act, signals, out.say(), session.hooks(), jobContext,
                checkpoints, Responder.Wording.DRY_RUN, () -> fast.join().reflex());
        Optional<RunRecord> record = session.record();
        record.ifPresent(r -> checkpoints.onAnswer(r::checkpoint));
        supervisor.onRelay(sig -> {
            record.ifPresent(r -> r.signalForwarded(sig));
            if (sig == Signal.USR1.number() && slurm.get().isPresent()) {
                String reason = "SIGUSR1 inside Slurm job " + slurm.get().get().step().jobId()
                        + " (sbatch --signal, scancel --signal=USR1): checkpoint now";
                record.ifPresent(r -> r.event("checkpoint_requested", reason));
                responder.checkpointRequested(reason, sig);
            }
        });
        supervisor.onSpawn(pid -> marks.firstLook(pid, session.summary()));
        session.respond(responder);
        return new Parts(session, supervisor, responder, checkpoints, fast, setUp, extraEnv);
    }

    /**
     * The cgroups the job was started in: the group made for it ({@code --memory-max}), else
     * oomguard's own, which a spawned job inherits.
     */
    private Optional<CgroupPaths> startedIn(Options o) {
        try {
            return o.supervise().cgroup().map(g -> new CgroupPaths(Optional.of(g.path()), Optional.empty()))
                    .or(() -> CgroupPaths.read(host.fs(), host.pid()));
        } catch (RuntimeException e) {
            return Optional.empty(); // an unreadable or odd file: the job's own processes say where it runs
        }
    }

    /** The set-up that needs the job: it is running as {@code pid}. */
    private void started(Parts parts, int pid, String display, Options o, Optional<Path> checkpointDir) {
        Phases.mark("job spawned");
        out.detail().accept("started " + display + " as PID " + pid);
        parts.responder().jobStarted(pid);
        if (parts.supervisor().nothingLeft(pid)) {
            // Gone before the guard could attach (a job of a millisecond): no ticks, no triggers, no
            // rehearsal; its end, in the supervisor's queue (or about to be: a zombie its waiter
            // reaps), is taken up at once. The fast parts will never be used: their set-up stops at
            // its next step, and is not waited for.
            parts.fast().complete(FastParts.NONE);
            parts.session().attachEnded(pid, () -> TreeSpec.of(pid).adoptedBy(host.pid()), startedIn(o),
                    parts.checkpoints()::inProgress);
            return;
        }
        FastParts fast = parts.fast().join(); // set up while the job was spawned
        Phases.mark("fast parts ready");
        parts.session().attach(pid, TreeSpec.of(pid).adoptedBy(host.pid()), startedIn(o),
                parts.checkpoints()::inProgress, fast.triggers(), first -> {
                    first.filter(f -> o.guard().checkpointReserve().bytes() > 0
                            && f.binding().capacity().compareTo(o.guard().checkpointReserve()) <= 0)
                            .ifPresent(f -> out.say().accept("--checkpoint-reserve " + o.guard().checkpointReserve()
                                    + " does not fit in the binding limit (" + f.binding().description()
                                    + "): the checkpoint will be asked as soon as the job grows"));
                    FastParts.rehearse(o, parts.session().hooks(), first.orElse(null), checkpointDir);
                    SlurmNote.of(host.environment(), parts.session().jobCgroup(), first).ifPresent(out.detail());
                });
    }

    private Ending report(Parts parts, Options o, Supervisor.Outcome outcome) {
        Session session = parts.session();
        Responder responder = parts.responder();
        WaitStatus status = outcome.status();
        session.end(status.exited() && status.exitCode() == 0 && outcome.leftBehind().isEmpty());
        Phases.mark("watcher stopped");
        marks.atEnd(o.supervise().cgroup(), outcome, session.summary());
        Phases.mark("peaks");
        List<Checkpoint> checkpoints = responder.checkpoints(); // before the record's exit line
        List<PartialKill> partial = session.partialKills();
        long unseen = unseenKills(o, status, partial.size());
        Session.Explained explained = explain(session, outcome, responder, partial, unseen > 0);
        boolean stopped = responder.stoppedByGuard() && !explained.kernelFirst();
        ExitStatus.Exit exit = exit(status, stopped, partial.size() + unseen, o);
        List<String> partialLines = partial.stream().map(PartialKill::describe).collect(Collectors.toCollection(ArrayList::new));
        if (unseen > 0) {
            partialLines.add(unseen + " process(es) of the job killed by the kernel OOM killer before oomguard"
                    + " saw them (the job's own cgroup counted " + unseen + " more kill(s) than were seen)");
        }
        // Processes the job left running were named on stderr already: the summary gives that line
        // its context, --quiet or not (the --log file has the summary of every run).
        session.finish(exit, RunEnd.of(outcome.pid(), status, exit.status(), exit.reason(), stopped),
                explained, new Session.Findings(partialLines, marks.ownMemoryNote(session.jobCgroup(), session.summary()),
                        checkpoints, !outcome.leftBehind().isEmpty()));
        Phases.mark("summary");
        return new Ending(exit.status(), exit.reraiseSignal());
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

    private static ExitStatus.Exit exit(WaitStatus status, boolean stopped, long partial, Options o) {
        return ExitStatus.of(new ExitStatus.Collected(status), stopped, partial,
                new ExitStatus.Policy(o.preserveStatus(), o.allowPartial(), o.reraise()));
    }

    /** The main process's SIGKILL (or, for kills nobody saw, its end) and each partial kill, explained. */
    private Session.Explained explain(Session session, Supervisor.Outcome outcome, Responder responder,
            List<PartialKill> partial, boolean unseenKills) {
        WaitStatus status = outcome.status();
        boolean sigkill = status.signaled() && status.termSignal() == Signal.KILL.number();
        if (!sigkill && partial.isEmpty() && !unseenKills) {
            return Session.Explained.NONE;
        }
        KillExplainer explainer = session.explainer();
        boolean memoryDeath = false;
        boolean kernelFirst = false;
        try {
            OomCounters counters = session.counters();
            List<DeadProcess> dead = new ArrayList<>();
            if (sigkill || (unseenKills && partial.isEmpty())) {
                // For kills nobody saw, the main process stands in: the report is matched by the cgroup.
                dead.add(explainer.dead(outcome.pid(), comm(session.summary(), outcome.pid()),
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
                kernelFirst |= p.stoppedByOomguard() && e.verdict() != Verdict.OOMGUARD_STOP;
            }
            explainer.reportProblems();
        } catch (RuntimeException e) {
            out.say().accept("could not explain the kill: " + e);
        }
        return Session.Explained.of(explainer, memoryDeath, kernelFirst);
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
        List<String> bases = java.util.stream.Stream.of(host.environment().get("XDG_RUNTIME_DIR"), host.environment().get("TMPDIR"),
                "/tmp")
                .filter(b -> b != null && !b.isEmpty()).distinct().toList();
        String why = "";
        for (String base : bases) {
            try {
                return Optional.of(PrivateDirectory.create(Path.of(base), libc.geteuid()));
            } catch (IOException | RuntimeException e) {
                why = e.getMessage();
            }
        }
        out.detail().accept("no checkpoint flag file for this run: " + why);
        return Optional.empty();
    }
}
