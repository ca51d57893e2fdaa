package dev.oomguard.watch;

import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.KillExplainer;
import dev.oomguard.explain.OomCounters;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.Ladder;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.StallDetector;
import dev.oomguard.guard.TickListener;
import dev.oomguard.kernellog.KillLog;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.report.PromTextfile;
import dev.oomguard.report.Published;
import dev.oomguard.report.HostProbe;
import dev.oomguard.trigger.Triggers;
import dev.oomguard.report.RecordHeader;
import dev.oomguard.report.Recorded;
import dev.oomguard.report.RunEnd;
import dev.oomguard.report.RunOutputs;
import dev.oomguard.report.RunRecord;
import dev.oomguard.report.RunSummaryText;
import dev.oomguard.report.SummaryJson;
import dev.oomguard.report.TerminalStatus;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import dev.oomguard.sample.TreeSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The parts of one guarded job, wired once for {@code run} ({@link GuardedRun}) and {@code watch}
 * ({@link WatchedRun}) on a {@link Host}: the run record, where the kernel log stood at the start,
 * the hooks, the summary, the relays every sample and decision passes on its way to the
 * {@link Responder} (stall detection, the terminal, Prometheus, the record), the tick loop, and at
 * the end the explanations' outputs, the record's end and the summary on stderr and in JSON.
 *
 * <p>Its steps, in this order, with the caller's own set-up between them:
 * <ol>
 * <li>{@link #open}, before the job is started (or watched): what fails here is oomguard's own
 *     error ({@link GuardedRun.SetupFailure}) and no job is started;
 * <li>{@link #respond}: the responder the decisions go to, and the relays before it;
 * <li>{@link #attach}, once the job runs: its sampler, the tick loop, the first sample; a failure
 *     from here on ends the monitoring, never the job;
 * <li>{@link #end}, once the job has ended: the loop stops and a last sample is taken;
 * <li>{@link #explainer}, {@link #finish}: its kills explained, its status said, the outputs written.
 * </ol>
 */
final class Session implements AutoCloseable {
    /**
     * Where a session's words go.
     *
     * @param unshown where the summary goes when {@code --quiet} keeps it off stderr (the
     *                {@code --log} file, which has the summary of every run)
     */
    record Output(Consumer<String> say, Consumer<String> detail, Consumer<String> unshown, PrintWriter err) {
    }

    /** The kills explained, and whether the job's own end was for memory. */
    /**
     * @param kernelFirst the kernel's OOM killer killed the job while oomguard was stopping it: the
     *                    job ran out, and oomguard did not stop it
     */
    record Explained(List<String> lines, List<Explanation> explanations, boolean forMemory, boolean kernelFirst) {
        static final Explained NONE = new Explained(List.of(), List.of(), false, false);

        static Explained of(KillExplainer explainer, boolean forMemory, boolean kernelFirst) {
            return new Explained(List.copyOf(explainer.lines()), List.copyOf(explainer.explanations()), forMemory,
                    kernelFirst);
        }
    }

    /**
     * What the caller found at the end, for the summary.
     *
     * @param notable whether {@code --quiet} must still show the summary, besides actions, partial
     *                kills, a status other than 0 and a failed monitoring
     */
    record Findings(List<String> partialLines, List<String> notes, List<Checkpoint> checkpoints, boolean notable) {
    }

    private final Host host;
    private final Output out;
    private final GuardedRun.Options o;
    private final String display;
    private final Instant started;
    private final long startNanos;
    private final Optional<RunRecord> record;
    private final CompletableFuture<OptionalLong> kmsgSeq;
    private final Hooks hooks;
    private final RunSummary summary;
    private Responder responder;
    private Optional<Published> published = Optional.empty();
    private TerminalStatus terminal;
    private TickListener listener;
    private volatile Watcher watcher;
    /** Attached once the job had ended ({@link #attachEnded}): no tick ran; the watcher for the last sample, made on need. */
    private java.util.function.Supplier<Watcher> endedBeforeAttach;
    private volatile Sample first;
    private volatile String jobCgroup;
    private Instant ended;
    private Optional<Sample> last = Optional.empty();

    private Session(Host host, Output out, GuardedRun.Options o, String display, Instant started, long startNanos,
            Optional<RunRecord> record) {
        this.host = host;
        this.out = out;
        this.o = o;
        this.display = display;
        this.started = started;
        this.startNanos = startNanos;
        this.record = record;
        this.kmsgSeq = CompletableFuture.supplyAsync(host.kernelLog().nextSequence());
        this.hooks = new Hooks(Duration.ofSeconds(30), out.say());
        this.summary = new RunSummary(new KillLog(host.kernelLog().kmsg(), () -> kmsgSeq.getNow(OptionalLong.empty())));
    }

    /**
     * Before the job: opens the run record ({@code --record}) and notes where the kernel log stands.
     *
     * @param dryRun         the record's header says the decisions are not carried out
     * @param recordSettings the settings the record's header lists
     * @throws GuardedRun.SetupFailure when the record cannot be opened
     */
    static Session open(Host host, Output out, GuardedRun.Options o, String display, boolean dryRun,
            Map<String, String> recordSettings) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        Optional<RunRecord> record = Optional.empty();
        if (o.record().isPresent()) {
            try {
                record = Optional.of(RunRecord.open(o.record().get(), RecordHeader.local(display, RunOutputs.version(),
                        host.pid(), started, o.interval(), dryRun, recordSettings, List.of())));
            } catch (IOException e) {
                throw new GuardedRun.SetupFailure("--record: " + e.getMessage());
            }
        }
        return new Session(host, out, o, display, started, startNanos, record);
    }

    /** Where each sample and decision goes: through the stall detector, the terminal, Prometheus and the record to {@code r}. */
    void respond(Responder r) {
        this.responder = r;
        TickListener recorded = record.<TickListener>map(rec -> new Recorded(rec, r, r::isMainProcess)).orElse(r);
        String jobName = o.name() == null || o.name().isBlank() ? PromTextfile.nameOf(display) : o.name();
        published = o.promTextfile().map(f -> new Published(recorded, f, jobName, o.promInterval(), summary,
                startNanos, started.toEpochMilli() / 1000.0, out.say()));
        terminal = new TerminalStatus(published.<TickListener>map(p -> p).orElse(recorded), out.err(),
                o.title() && host.stderrIsTerminal(), o.status() && host.stderrIsTerminal());
        listener = new Stalled(terminal, new StallDetector(o.stall()), summary);
    }

    /**
     * Once the job runs: its memory cgroup, the sampler on {@code tree}, the first sample (handed to
     * {@code beforeStart}, the caller's set-up that needs it), then the ticks. A failure ends the
     * monitoring, never the job.
     *
     * @param checkpointInProgress asked before each decision: a stop waits for a checkpoint in progress
     * @param triggers             kernel notifications and fast reads between full samples
     */
    void attach(int pid, TreeSpec tree, Optional<CgroupPaths> startedIn, BooleanSupplier checkpointInProgress,
            Optional<Triggers> triggers, Consumer<Optional<Sample>> beforeStart) {
        record.ifPresent(r -> r.describeHost(HostProbe::read)); // OSHI, in the background, once the job runs
        try {
            // As the sampler: a job on its way out already reads the root, which the group it was started in outranks.
            Optional<String> started = startedIn.flatMap(Session::memoryPath);
            jobCgroup = CgroupPaths.read(host.fs(), pid).flatMap(Session::memoryPath)
                    .filter(own -> !own.equals("/") || started.filter(g -> !g.equals("/")).isEmpty())
                    .or(() -> started).orElse(null);
            Sampler sampler = new Sampler(host.fs(), tree, o.limits(), System::nanoTime, startedIn);
            Watcher w = new Watcher(sampler, new Ladder(o.guard()), summary, o.interval(), System::nanoTime, listener,
                    checkpointInProgress, triggers, pid);
            watcher = w;
            first = w.finalSample().orElse(null);
            beforeStart.accept(Optional.ofNullable(first));
            w.start();
        } catch (RuntimeException e) {
            responder.failed(e);
            record.ifPresent(r -> r.monitoringFailed(e));
        }
    }

    /**
     * As {@link #attach}, for a job that has ended already and left nothing running: the sampler
     * for the last sample at the {@link #end} (its tree made then, and only when one is taken), no
     * first sample, no ticks. Its cgroup is where it was started ({@code startedIn}): the limits
     * there bound it, not the host's.
     */
    void attachEnded(int pid, java.util.function.Supplier<TreeSpec> tree, Optional<CgroupPaths> startedIn,
            BooleanSupplier checkpointInProgress) {
        record.ifPresent(r -> r.describeHost(HostProbe::read));
        jobCgroup = startedIn.flatMap(Session::memoryPath).orElse(null);
        endedBeforeAttach = () -> {
            try {
                // No outside candidates: the job is gone, and naming them would scan every process.
                return new Watcher(new Sampler(host.fs(), tree.get(), o.limits().withOutsideCandidates(0),
                        System::nanoTime, startedIn),
                        new Ladder(o.guard()), summary,
                        o.interval(), System::nanoTime, listener, checkpointInProgress, Optional.empty(), pid);
            } catch (RuntimeException e) {
                responder.failed(e);
                record.ifPresent(r -> r.monitoringFailed(e));
                return null;
            }
        };
    }

    private static Optional<String> memoryPath(CgroupPaths p) {
        return p.v1Memory().or(p::v2);
    }

    /** The job has ended: partial kills found from now on are only reported; the ticks stop; one last sample. */
    void end() {
        end(false);
    }

    /**
     * As {@link #end()}; {@code clean}: the job exited 0 and left nothing behind. A job that was
     * gone before the guard attached, ended clean, in a quiet run that writes nothing, has nobody
     * to read a last sample (its summary is not even built), so none is taken.
     */
    void end(boolean clean) {
        ended = Instant.now();
        responder.jobEnded();
        if (endedBeforeAttach != null) {
            if (!(clean && writesNothing())) {
                watcher = endedBeforeAttach.get();
            }
        } else if (watcher != null) {
            watcher.stop();
        }
        Watcher w = watcher;
        if (w != null) {
            last = w.finalSample();
        }
    }

    /** A quiet run with no output file and nowhere for its summary. */
    private boolean writesNothing() {
        return o.quiet() && out.unshown() == GuardedRun.NOWHERE && o.record().isEmpty() && o.summaryJson().isEmpty()
                && o.promTextfile().isEmpty() && o.html().isEmpty() && o.supervise().cgroup().isEmpty();
    }

    /** The processes of the job, other than its main one, that the OOM killer took. */
    List<PartialKill> partialKills() {
        return responder.partial(summary.partialKills());
    }

    /** Explains the run's kills from the kernel log of the host (read on first need). */
    KillExplainer explainer() {
        return new KillExplainer(new KillExplainer.Run(jobCgroup, started, ended, this::knownPids,
                () -> kmsgSeq.getNow(OptionalLong.empty())), host.kernelLog().sources().get(), host.fs().path("/proc"),
                out.say(), out.detail());
    }

    /** The OOM kill counters from the first sample to the last. */
    OomCounters counters() {
        return RunOutputs.counters(first, last.orElse(null));
    }

    /**
     * The end of the run: the explanations and the exit into the record, {@code --notify}, the
     * terminal, Prometheus, the HTML report, the summary on stderr ({@code --quiet}: only when
     * notable) and in JSON.
     */
    void finish(ExitStatus.Exit exit, RunEnd end, Explained explained, Findings found) {
        record.ifPresent(r -> explained.explanations().forEach(r::explanation));
        responder.exited(exit.reason());
        hooks.drain();
        terminal.finish(exit.reason());
        published.ifPresent(p -> p.finish(exit.status(), end.stoppedByOomguard(), explained.explanations().isEmpty()
                ? null : explained.explanations().get(0).verdict().jsonName()));
        record.ifPresent(r -> {
            r.exit(end);
            r.close();
            r.problem().ifPresent(p -> out.say().accept("--record: " + p.getMessage() + "; the record stops there"));
            o.html().ifPresent(html -> RunOutputs.writeHtml(r.path(), html, out.say(), out.detail()));
        });
        // What --quiet still reports: anything oomguard did or saw besides a clean run.
        boolean notable = !summary.actions().isEmpty() || !found.partialLines().isEmpty() || exit.status() != 0
                || responder.monitoringFailed() || found.notable();
        List<String> actions = responder.done().stream().map(Responder.Done::line).toList();
        RunSummaryText.Facts facts = new RunSummaryText.Facts(display, exit.reason(),
                Duration.ofNanos(System.nanoTime() - startNanos), end.stoppedByOomguard() || explained.forMemory(),
                actions, found.partialLines(), explained.lines(), found.notes(), responder.monitoringFailed(),
                found.checkpoints(), end.stoppedByOomguard());
        // --quiet: nothing on stderr for a run where nothing happened; the --log file has it all the same.
        Consumer<String> to = !o.quiet() || notable ? out.say() : out.unshown();
        if (to != GuardedRun.NOWHERE) { // the summary of a quiet run that goes nowhere is not even built
            boolean unicode = Charset.defaultCharset().equals(StandardCharsets.UTF_8);
            for (String line : RunSummaryText.lines(facts, summary, terminal.sparkline(unicode))) {
                to.accept(line);
            }
        }
        if (o.summaryJson().isPresent()) {
            try {
                SummaryJson.write(o.summaryJson().get(), facts, summary, end, explained.explanations());
            } catch (IOException e) {
                out.say().accept("--summary-json: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        // Not RunRecord::close: that reference links RunRecord (and loads Jackson's node classes) even when absent.
        if (record.isPresent()) {
            record.get().close();
        }
    }

    Host host() {
        return host;
    }

    Hooks hooks() {
        return hooks;
    }

    RunSummary summary() {
        return summary;
    }

    Optional<RunRecord> record() {
        return record;
    }

    Instant started() {
        return started;
    }

    /** The job's memory cgroup (v1 memory controller, else v2), once attached; null when unknown. */
    String jobCgroup() {
        return jobCgroup;
    }

    private Set<Integer> knownPids() {
        return summary.processPeaks().stream().map(p -> p.process().pid()).collect(Collectors.toSet());
    }
}
