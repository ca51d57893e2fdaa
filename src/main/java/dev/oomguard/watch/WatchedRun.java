package dev.oomguard.watch;

import dev.oomguard.explain.Confidence;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.OomCounters;
import dev.oomguard.explain.Verdict;
import dev.oomguard.guard.Ladder;
import dev.oomguard.guard.StallDetector;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.kernellog.DevKmsgSource;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.Signal;
import dev.oomguard.report.PromTextfile;
import dev.oomguard.report.RecordHeader;
import dev.oomguard.report.RunEnd;
import dev.oomguard.report.RunRecord;
import dev.oomguard.report.RunSummaryText;
import dev.oomguard.report.SummaryJson;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import dev.oomguard.sample.TreeSpec;
import dev.oomguard.units.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code oomguard watch}: guards a job that was started without oomguard. The same sampler,
 * ladder, relays and correlator as a run, on a tree rooted at a process oomguard did not start:
 * observe-only unless asked to act, its end noticed through a pidfd ({@link JobEnd}), and, since
 * its exit status cannot be collected, "status unknown" unless the kernel log or the OOM-kill
 * counters show that it was killed for memory.
 */
public final class WatchedRun {
    /** How often the end and Ctrl-C are looked for. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final LibC libc;
    private final Consumer<String> say;
    private final Consumer<String> detail;
    private final PrintWriter err;
    private final ProcFs fs = ProcFs.system();

    /** What the kernel's side says about the ends seen. */
    private record Explained(List<String> lines, List<Explanation> explanations, Optional<Explanation> mainKill) {
    }

    public WatchedRun(LibC libc, Consumer<String> say, Consumer<String> detail, PrintWriter err) {
        this.libc = libc;
        this.say = say;
        this.detail = detail;
        this.err = err;
    }

    /**
     * Watches {@code job} until it ends or oomguard is interrupted; returns oomguard's exit status.
     *
     * @param act            carry out the ladder's decisions (else only say them)
     * @param callerIgnored  signals the caller ignored (a {@code nohup oomguard watch} keeps ignoring HUP)
     * @throws GuardedRun.SetupFailure when the job has gone or a file cannot be opened
     */
    public int watch(WatchedProcess job, GuardedRun.Options o, boolean act, long callerIgnored) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        int self = libc.getpid();
        JobEnd end = JobEnd.open(fs, job).orElseThrow(() -> new GuardedRun.SetupFailure(job.who()
                + " has ended (or its PID now names another process): nothing to watch"));
        String display = job.display();
        RunRecord record = null;
        try {
            if (o.record().isPresent()) {
                try {
                    Map<String, String> settings = new LinkedHashMap<>(o.settings());
                    settings.put("watch_pid", Integer.toString(job.pid()));
                    settings.put("act", Boolean.toString(act));
                    record = RunRecord.open(o.record().get(), RecordHeader.local(display, RunOutputs.version(), self, started,
                            o.interval(), !act, settings, List.of()));
                } catch (IOException e) {
                    throw new GuardedRun.SetupFailure("--record: " + e.getMessage());
                }
            }
            return watch(job, o, act, callerIgnored, end, Optional.ofNullable(record), started, startNanos, self);
        } finally {
            end.close();
            if (record != null) {
                record.close();
            }
        }
    }

    private int watch(WatchedProcess job, GuardedRun.Options o, boolean act, long callerIgnored, JobEnd end,
            Optional<RunRecord> record, Instant started, long startNanos, int self) {
        String display = job.display();
        // Ctrl-C (and TERM, HUP) end the watching, never the job; taken before anything is said.
        BlockingQueue<Integer> interrupts = new LinkedBlockingQueue<>();
        for (Signal s : List.of(Signal.INT, Signal.TERM, Signal.HUP)) {
            if ((callerIgnored & (1L << (s.number() - 1))) == 0) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(s.name()), sig -> interrupts.add(sig.getNumber()));
                } catch (IllegalArgumentException e) {
                    // reserved by this JVM: the default applies
                }
            }
        }
        CompletableFuture<OptionalLong> kmsgSeq = CompletableFuture.supplyAsync(
                () -> new DevKmsgSource().nextSequence(Duration.ofSeconds(2)));
        Hooks hooks = new Hooks(Duration.ofSeconds(30), say);
        TreeSignals signals = new TreeSignals(libc, fs, job, end, detail);
        String target = TreeSignals.describe(signals.target());
        Responder.Wording wording = act ? new Responder.Wording("", "", "", target)
                : new Responder.Wording("would ", " (observe-only; --act to act)", "(observe-only) ", target);
        Responder.Settings settings = new Responder.Settings(!act, o.act().checkpointSignal(), o.act().onCheckpoint(),
                o.act().notifyCommand(), o.act().onPartial(), Optional.empty());
        Map<String, String> jobContext = new LinkedHashMap<>();
        jobContext.put("OOMGUARD_PID", Integer.toString(self));
        jobContext.put("OOMGUARD_COMMAND", display);
        jobContext.put("OOMGUARD_WATCH", "1");
        Responder responder = new Responder(settings, signals, say, hooks, jobContext, wording);
        responder.jobStarted(job.pid());
        RunSummary summary = new RunSummary(new dev.oomguard.kernellog.KillLog(new DevKmsgSource(),
                () -> kmsgSeq.getNow(OptionalLong.empty())));
        String jobName = o.name() == null || o.name().isBlank() ? PromTextfile.nameOf(display) : o.name();
        Watcher.Listener recorded = record.<Watcher.Listener>map(r -> new Recorded(r, responder)).orElse(responder);
        Published published = o.promTextfile().map(f -> new Published(recorded, f, jobName, o.promInterval(), summary,
                startNanos, started.toEpochMilli() / 1000.0, say)).orElse(null);
        boolean terminal = libc.isatty(2) == 1;
        TerminalStatus status = new TerminalStatus(published == null ? recorded : published, err,
                o.title() && terminal, o.status() && terminal);
        if (!o.quiet()) {
            say.accept("watching " + job.who() + ", not started by oomguard: " + (act
                    ? "acting on it (--act: signals go to " + target + ")" : "observe-only (--act to act)"));
        }
        detail.accept("its end is noticed " + (end.viaPidfd() ? "through a pidfd" : "by polling /proc/" + job.pid()
                + " (no pidfd on this kernel)") + "; its exit status cannot be collected (oomguard is not its parent)");
        String cgroup = CgroupPaths.read(fs, job.pid()).flatMap(p -> p.v1Memory().or(p::v2)).orElse(null);
        Watcher watcher = null;
        Sample first = null;
        try {
            Sampler sampler = new Sampler(fs, TreeSpec.of(job.pid()), o.limits());
            watcher = new Watcher(sampler, new Ladder(o.guard()), summary, o.interval(), System::nanoTime,
                    new Stalled(status, new StallDetector(o.stall()), summary));
            first = watcher.finalSample().orElse(null);
            watcher.start();
        } catch (RuntimeException e) {
            responder.failed(e);
            record.ifPresent(r -> r.monitoringFailed(e));
        }

        Integer interrupted = null;
        while (!end.await(POLL)) {
            interrupted = interrupts.poll();
            if (interrupted != null) {
                break;
            }
        }
        Instant ended = Instant.now();
        responder.jobEnded();
        Optional<Sample> last = Optional.empty();
        if (watcher != null) {
            watcher.stop();
            last = watcher.finalSample();
        }
        try {
            return report(job, o, act, interrupted, responder, summary, hooks, first, last.orElse(null), cgroup,
                    started, ended, startNanos, kmsgSeq, record, Optional.ofNullable(published), status);
        } catch (RuntimeException e) {
            say.accept("internal error while reporting (" + e + ")");
            return ExitStatus.of(new ExitStatus.NotCollected(Optional.empty()), responder.stoppedByGuard(), 0,
                    new ExitStatus.Policy(o.preserveStatus(), o.allowPartial(), o.reraise())).status();
        }
    }

    private int report(WatchedProcess job, GuardedRun.Options o, boolean act, Integer interrupted,
            Responder responder, RunSummary summary, Hooks hooks, Sample first, Sample last, String cgroup,
            Instant started, Instant ended, long startNanos, CompletableFuture<OptionalLong> kmsgSeq,
            Optional<RunRecord> record, Optional<Published> published, TerminalStatus terminal) {
        List<PartialKill> partial = responder.partial(summary.partialKills());
        boolean jobEnded = interrupted == null;
        Explained explained = explain(job, summary, partial, jobEnded && !responder.stoppedByGuard(), first, last,
                cgroup, started, ended, kmsgSeq);
        record.ifPresent(r -> explained.explanations().forEach(r::explanation));

        Optional<Explanation> mainKill = explained.mainKill();
        ExitStatus.End how = !jobEnded ? new ExitStatus.Interrupted(interrupted)
                : new ExitStatus.NotCollected(mainKill.map(e -> new ExitStatus.MemoryKill(e.verdict().meaning(),
                        e.kernelReport().isPresent())));
        ExitStatus.Exit ending = ExitStatus.of(how, responder.stoppedByGuard(), partial.size(),
                new ExitStatus.Policy(o.preserveStatus(), o.allowPartial(), o.reraise()));
        int exit = ending.status();
        String statusText = ending.reason();
        // A kill for memory that the kernel logged is a SIGKILL; the counters alone do not say which signal.
        Integer signal = mainKill.filter(e -> e.kernelReport().isPresent()).map(e -> Signal.KILL.number()).orElse(null);
        if (!jobEnded) {
            say.accept("stopped watching " + job.who() + " (" + Signal.describe(interrupted) + "); it runs on, unwatched");
        }
        responder.exited(statusText);
        hooks.drain();
        RunEnd runEnd = new RunEnd(job.pid(), null, signal, exit, statusText, responder.stoppedByGuard());
        terminal.finish(statusText);
        published.ifPresent(p -> p.finish(exit, responder.stoppedByGuard(), explained.explanations().isEmpty() ? null
                : explained.explanations().get(0).verdict().name().toLowerCase(Locale.ROOT)));
        record.ifPresent(r -> {
            r.exit(runEnd);
            r.close();
            r.problem().ifPresent(p -> say.accept("--record: " + p.getMessage() + "; the record stops there"));
            o.html().ifPresent(out -> RunOutputs.writeHtml(r.path(), out, say, detail));
        });

        boolean notable = !summary.actions().isEmpty() || !partial.isEmpty() || exit != 0 || responder.monitoringFailed();
        List<String> actions = responder.done().stream().map(Responder.Done::line).toList();
        List<String> partialLines = partial.stream().map(PartialKill::describe).collect(Collectors.toList());
        List<String> notes = new ArrayList<>();
        notes.add("watched, not started, by oomguard" + age(job, started).map(a -> ": it had run for " + a
                + " when watching began").orElse("") + "; processes it orphans leave the watched tree");
        RunSummaryText.Facts facts = new RunSummaryText.Facts(job.display(), statusText,
                Duration.ofNanos(System.nanoTime() - startNanos),
                responder.stoppedByGuard() || explained.mainKill().isPresent(), actions, partialLines,
                explained.lines(), notes, responder.monitoringFailed(), List.of(), responder.stoppedByGuard());
        if (!o.quiet() || notable) {
            boolean unicode = java.nio.charset.Charset.defaultCharset().equals(java.nio.charset.StandardCharsets.UTF_8);
            for (String line : RunSummaryText.lines(facts, summary, terminal.sparkline(unicode))) {
                say.accept(line);
            }
        }
        if (o.summaryJson().isPresent()) {
            try {
                SummaryJson.write(o.summaryJson().get(), facts, summary, runEnd, explained.explanations());
            } catch (IOException e) {
                say.accept("--summary-json: " + e.getMessage());
            }
        }
        return exit;
    }

    /**
     * The main process's end is probed as if it were a SIGKILL: a memory verdict for this very PID,
     * from a kernel report or a cgroup counter that rose beyond the partial kills, is how it ended;
     * anything else leaves its status unknown. Partial kills are explained as in a run.
     */
    private Explained explain(WatchedProcess job, RunSummary summary, List<PartialKill> partial, boolean probeMain,
            Sample first, Sample last, String cgroup, Instant started, Instant ended,
            CompletableFuture<OptionalLong> kmsgSeq) {
        if (!probeMain && partial.isEmpty()) {
            return new Explained(List.of(), List.of(), Optional.empty());
        }
        KillExplainer explainer = new KillExplainer(summary, cgroup, started, ended, kmsgSeq, say, detail);
        Optional<Explanation> mainKill = Optional.empty();
        try {
            OomCounters counters = RunOutputs.counters(first, last);
            if (probeMain) {
                // Kills already seen as partial are not the main process's.
                OomCounters forMain = new OomCounters(counters.vmstatBefore() == null ? null
                        : counters.vmstatBefore() + partial.size(), counters.vmstatAfter(),
                        counters.cgroupBefore() == null ? null : counters.cgroupBefore() + partial.size(),
                        counters.cgroupAfter(), counters.cgroupCounter());
                Explanation e = explainer.correlate(explainer.killed(job.pid(), job.comm()), forMain);
                boolean thisProcess = e.pid() == null || e.pid() == job.pid();
                if (forMemory(e.verdict()) && e.confidence() != Confidence.LOW && thisProcess) {
                    mainKill = Optional.of(e);
                    explainer.keep(e);
                    explainer.tell(job.pid(), job.comm(), e);
                }
            }
            for (PartialKill k : partial) {
                Explanation e = explainer.correlate(explainer.killed(k.process().pid(), k.comm()), counters);
                explainer.keep(e);
                explainer.tell(k.process().pid(), k.comm(), e);
            }
            explainer.reportProblems();
        } catch (RuntimeException e) {
            say.accept("could not read how the job ended: " + e);
        }
        return new Explained(explainer.lines(), explainer.explanations(), mainKill);
    }

    private static boolean forMemory(Verdict v) {
        return switch (v) {
            case MACHINE_OOM, CGROUP_LIMIT, CPUSET_CONSTRAINT, MEMPOLICY_CONSTRAINT, KERNEL_OOM,
                    USERSPACE_OOM_KILLER -> true;
            default -> false;
        };
    }

    /** How long the job had run when watching began (start time in clock ticks after boot, USER_HZ 100). */
    private Optional<String> age(WatchedProcess job, Instant watchStart) {
        return fs.readIfPresent("/proc/uptime").flatMap(text -> {
            try {
                double uptime = Double.parseDouble(text.strip().split("\\s+")[0]);
                double ranFor = uptime - job.startTimeTicks() / 100.0;
                double sinceWatch = Duration.between(watchStart, Instant.now()).toMillis() / 1000.0;
                double before = ranFor - sinceWatch;
                return before < 0 ? Optional.empty()
                        : Optional.of(Durations.format(Duration.ofMillis((long) (before * 1000))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
