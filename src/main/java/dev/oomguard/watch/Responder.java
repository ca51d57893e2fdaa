package dev.oomguard.watch;

import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.checkpoint.ReflexFired;
import dev.oomguard.checkpoint.CheckpointRequest;
import dev.oomguard.checkpoint.Checkpoints;
import dev.oomguard.guard.Action;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.Figures;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.Step;
import dev.oomguard.guard.TickListener;
import dev.oomguard.launch.JobSignals;
import dev.oomguard.proc.Signal;
import dev.oomguard.sample.Sample;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Carries out the ladder's decisions: says them on stderr, signals the job's group, asks for a
 * checkpoint (signal, flag file, hook), tells the {@code --notify} command; in a dry run it only
 * says what it would have done. Remembers what it did, for the summary and the exit status.
 */
public final class Responder implements TickListener {
    /** What to do when a process of the tree is OOM-killed while the job goes on. */
    public enum OnPartial { WARN, CHECKPOINT, STOP }

    /**
     * The user's choices for acting.
     *
     * @param checkpointTimeout how long a checkpoint may stay unacknowledged (and the hook run); empty:
     *                          as long as {@code --checkpoint-lead}
     */
    public record Settings(boolean dryRun, Optional<Signal> checkpointSignal, Optional<String> onCheckpoint,
            Optional<String> notifyCommand, OnPartial onPartial, Optional<Path> checkpointFile,
            Optional<Duration> checkpointTimeout) {
        public Settings(boolean dryRun, Optional<Signal> checkpointSignal, Optional<String> onCheckpoint,
                Optional<String> notifyCommand, OnPartial onPartial, Optional<Path> checkpointFile) {
            this(dryRun, checkpointSignal, onCheckpoint, notifyCommand, onPartial, checkpointFile, Optional.empty());
        }
    }

    /**
     * How a decision that is not carried out is worded ({@code would} before it, {@code note}
     * after what it would do, {@code tag} in the summary), and what the stop signals go to.
     * {@code oomguard watch} says "would ... (observe-only; --act to act)".
     */
    public record Wording(String would, String note, String tag, String target) {
        public static final Wording DRY_RUN = new Wording("dry run, would ", "", "(dry run) ", "its process group");
    }

    /** One thing done (or, in a dry run, that would have been done). */
    public record Done(Instant at, Step step, String line) {
    }

    private final Settings settings;
    private final JobSignals signals;
    private final CheckpointRequest request;
    private final Consumer<String> say;
    private final Hooks hooks;
    private final Map<String, String> jobContext;
    private final Checkpoints checkpoints;
    private final List<Done> done = new ArrayList<>();
    private final Wording wording;
    private final java.util.function.Supplier<Optional<Reflex>> reflex;
    private volatile int jobPid = -1;
    private volatile boolean jobEnded;
    private volatile boolean stoppedByGuard;
    private volatile boolean monitoringFailed;

    public Responder(Settings settings, JobSignals signals, Consumer<String> say, Hooks hooks,
            Map<String, String> jobContext) {
        this(settings, signals, say, hooks, jobContext, defaultCheckpoints(settings), Wording.DRY_RUN);
    }

    /** @param checkpoints where requests are followed to their acknowledgement; this responder hears of each */
    public Responder(Settings settings, JobSignals signals, Consumer<String> say, Hooks hooks,
            Map<String, String> jobContext, Checkpoints checkpoints) {
        this(settings, signals, say, hooks, jobContext, checkpoints, Wording.DRY_RUN);
    }

    public Responder(Settings settings, JobSignals signals, Consumer<String> say, Hooks hooks,
            Map<String, String> jobContext, Wording wording) {
        this(settings, signals, say, hooks, jobContext, defaultCheckpoints(settings), wording);
    }

    public Responder(Settings settings, JobSignals signals, Consumer<String> say, Hooks hooks,
            Map<String, String> jobContext, Checkpoints checkpoints, Wording wording) {
        this(settings, signals, say, hooks, jobContext, checkpoints, wording, Optional.empty());
    }

    /**
     * @param reflex the checkpoint reflex (sharing {@code checkpoints}): a request it sent already is
     *               said and followed, not sent again; one sent from here disarms it first
     */
    public Responder(Settings settings, JobSignals signals, Consumer<String> say, Hooks hooks,
            Map<String, String> jobContext, Checkpoints checkpoints, Wording wording, Optional<Reflex> reflex) {
        this(settings, signals, say, hooks, jobContext, checkpoints, wording, () -> reflex);
    }

    /**
     * As above, with a reflex set up while the job starts: {@code reflex} is asked only once a
     * checkpoint is, after the guard attached.
     */
    public Responder(Settings settings, JobSignals signals, Consumer<String> say, Hooks hooks,
            Map<String, String> jobContext, Checkpoints checkpoints, Wording wording,
            java.util.function.Supplier<Optional<Reflex>> reflex) {
        this.reflex = reflex;
        this.checkpoints = checkpoints;
        this.wording = wording;
        this.settings = settings;
        this.signals = signals;
        this.request = new CheckpointRequest(checkpoints, signals);
        this.say = say;
        this.hooks = hooks;
        this.jobContext = new LinkedHashMap<>(jobContext);
        checkpoints.onAnswer(this::answered);
    }

    @Override
    public void sampled(Sample sample) {
        // The tick's figures go to the run record (when asked for); nothing to do here.
    }

    @Override
    public synchronized void act(Action a) {
        String prefix = settings.dryRun() ? wording.would() : "";
        String note = settings.dryRun() ? wording.note() : "";
        switch (a.step()) {
            case WARN, WARN_OUTSIDE -> say.accept("warning: " + a.why());
            case CHECKPOINT -> {
                // The flag file and the signal first, the words after: near a limit, every fraction
                // of a millisecond counts (the file before the signal, so a job woken by it finds it).
                String how = settings.dryRun() ? "" : checkpoint(a.why(), a.figures(), 0);
                say.accept(prefix + "ask the job to checkpoint" + note + ": " + a.why() + how);
            }
            case STOP_DEFERRED -> say.accept((settings.dryRun() ? wording.would() + "defer the stop: a checkpoint is in progress"
                    + wording.note() + "; " : "stop deferred: checkpoint in progress; ") + a.why());
            case TERMINATE -> {
                if (!settings.dryRun()) {
                    stoppedByGuard = true;
                    signals.send(Signal.TERM.number());
                    signals.send(Signal.CONT.number());
                }
                say.accept(prefix + "stop the job (TERM to " + wording.target() + ", KILL after the grace period)" + note
                        + ": " + a.why());
            }
            case KILL -> {
                say.accept(prefix + "kill the job (KILL to " + wording.target() + ")" + note + ": " + a.why());
                if (!settings.dryRun()) {
                    stoppedByGuard = true;
                    signals.send(Signal.KILL.number());
                }
            }
            case PAUSE -> {
                say.accept(prefix + "pause the job (STOP to " + wording.target() + ")" + note + ": " + a.why());
                if (!settings.dryRun()) {
                    signals.send(Signal.STOP.number());
                }
            }
            case RESUME -> {
                say.accept(prefix + "resume the job (CONT)" + note + ": " + a.why());
                if (!settings.dryRun()) {
                    signals.send(Signal.CONT.number());
                }
            }
            default -> { }
        }
        record(a.step(), a.describe());
        notify(a.step().name().toLowerCase(Locale.ROOT), a.why(), Optional.of(a.figures()));
    }

    /**
     * A checkpoint asked for from outside (USR1 inside a Slurm job: {@code sbatch --signal}): the
     * flag file and {@code --on-checkpoint}, and the checkpoint signal unless it is the one the job
     * was just given.
     */
    public synchronized void checkpointRequested(String reason, int alreadyForwarded) {
        if (jobEnded) {
            return;
        }
        say.accept((settings.dryRun() ? "dry run, would " : "") + "ask the job to checkpoint: " + reason);
        if (!settings.dryRun()) {
            checkpoint(reason, null, alreadyForwarded);
        }
        record(Step.CHECKPOINT, "checkpoint: ask the job to checkpoint — because " + reason);
        notify("checkpoint", reason, Optional.empty());
    }

    /** The job's main process: its end is the job's status, never a partial kill. */
    public synchronized void jobStarted(int pid) {
        this.jobPid = pid;
        jobContext.put("OOMGUARD_JOB_PID", Integer.toString(pid));
    }

    /** Whether this "partial kill" is the main process ending (its end is the job's status). */
    public boolean isMainProcess(PartialKill kill) {
        return kill.process().pid() == jobPid;
    }

    /** Partial kills proper: processes of the tree other than the main one. */
    public List<PartialKill> partial(List<PartialKill> all) {
        return all.stream().filter(k -> k.process().pid() != jobPid).toList();
    }

    @Override
    public synchronized void partialKill(PartialKill kill, Sample sample) {
        if (kill.process().pid() == jobPid) {
            return;
        }
        String line = kill.describe() + "; the job continues with incomplete results";
        say.accept(line);
        notify("partial_kill", line, Optional.empty());
        if (jobEnded) {
            return; // nothing left to checkpoint or stop
        }
        switch (settings.onPartial()) {
            case CHECKPOINT -> {
                say.accept((settings.dryRun() ? wording.would() : "") + "ask the job to checkpoint (--on-partial-oom)"
                        + (settings.dryRun() ? wording.note() : ""));
                if (!settings.dryRun()) {
                    checkpoint(line, null, 0);
                }
            }
            case STOP -> {
                say.accept((settings.dryRun() ? wording.would() : "") + "stop the job (--on-partial-oom stop)"
                        + (settings.dryRun() ? wording.note() : ""));
                if (!settings.dryRun()) {
                    stoppedByGuard = true;
                    signals.send(Signal.TERM.number());
                    signals.send(Signal.CONT.number());
                }
            }
            default -> { }
        }
    }

    @Override
    public void failed(Exception e) {
        monitoringFailed = true;
        say.accept("monitoring failed (" + e + "); the job runs on, unguarded");
    }

    /** The end of the run, for {@code --notify}. */
    /** The job's main process has ended: partial kills found from now on are only reported. */
    public void jobEnded() {
        this.jobEnded = true;
    }

    public synchronized void exited(String status) {
        notify("exit", status, Optional.empty());
    }

    public boolean stoppedByGuard() {
        return stoppedByGuard;
    }

    public boolean monitoringFailed() {
        return monitoringFailed;
    }

    public synchronized List<Done> done() {
        return List.copyOf(done);
    }

    /**
     * Asks for a checkpoint: the flag file (its {@code .done} cleared first), the signal, the hook,
     * in that order, so that a job woken by the signal finds the file; then follows the request.
     */
    private String checkpoint(String reason, Figures f, int alreadyForwarded) {
        Optional<ReflexFired> fired = reflex.get().flatMap(Reflex::claim);
        if (fired.isPresent()) {
            // Sent on the kernel's wake-up already (flag file renamed into place, then the signal).
            ReflexFired r = fired.get();
            asked(reason, f, r.fileRenamed());
            return " (" + r.describe() + ")";
        }
        int signal = settings.checkpointSignal().map(Signal::number).filter(n -> n != alreadyForwarded).orElse(0);
        boolean written = request.send(reason, signal, say);
        asked(reason, f, written);
        return "";
    }

    /** The request is out: followed to its answer, and the hook started. */
    private void asked(String reason, Figures f, boolean written) {
        // A reflex's request claimed after the job ended: no hook for a job that is gone.
        Optional<String> hook = settings.onCheckpoint().filter(cmd -> !jobEnded);
        checkpoints.asked(reason, f == null ? OptionalDouble.empty() : OptionalDouble.of(f.binding().percentUsed()),
                written, hook.isPresent());
        hook.ifPresent(cmd -> {
            Map<String, String> c = context("checkpoint", reason, Optional.ofNullable(f));
            c.put("OOMGUARD_CHECKPOINT_TIMEOUT_SECONDS", Long.toString(checkpoints.timeout().toSeconds()));
            hooks.run("--on-checkpoint", cmd, c, checkpoints.timeout(), checkpoints::hookExited);
        });
    }

    private static Checkpoints defaultCheckpoints(Settings settings) {
        return new Checkpoints(settings.checkpointFile(), settings.checkpointTimeout().orElse(Duration.ofSeconds(60)),
                Clock.systemUTC(), System::nanoTime);
    }

    /** A request ended: say so, and tell {@code --notify}. */
    private synchronized void answered(Checkpoint c) {
        String line = c.describe(ZoneId.systemDefault());
        if (c.answer() == Checkpoint.Answer.ACKNOWLEDGED) {
            say.accept("the job acknowledged the checkpoint " + Checkpoint.seconds(c.after().orElseThrow())
                    + " after it was asked (" + c.how() + ")");
            notify("checkpoint_acknowledged", line, Optional.empty());
        } else if (c.answer() == Checkpoint.Answer.TIMED_OUT) {
            say.accept("the job did not acknowledge the checkpoint within the "
                    + dev.oomguard.units.Durations.format(checkpoints.timeout())
                    + " --checkpoint-timeout; the stop rules apply again");
            notify("checkpoint_timeout", line, Optional.empty());
        }
    }

    /** The checkpoints asked for in this run, and how each ended (call once the job has ended). */
    public List<Checkpoint> checkpoints() {
        return checkpoints.finish();
    }

    private void notify(String event, String reason, Optional<Figures> f) {
        settings.notifyCommand().ifPresent(cmd -> hooks.run("--notify", cmd, context(event, reason, f)));
    }

    private Map<String, String> context(String event, String reason, Optional<Figures> f) {
        Map<String, String> c = new LinkedHashMap<>(jobContext);
        c.put("OOMGUARD_EVENT", event);
        c.put("OOMGUARD_REASON", reason);
        c.put("OOMGUARD_DRY_RUN", settings.dryRun() ? "1" : "0");
        f.ifPresent(fig -> {
            c.put("OOMGUARD_LIMIT", fig.binding().description());
            c.put("OOMGUARD_LIMIT_SOURCE", fig.binding().source().label());
            c.put("OOMGUARD_LIMIT_BYTES", Long.toString(fig.binding().capacity().bytes()));
            c.put("OOMGUARD_USED_BYTES", Long.toString(fig.binding().used().bytes()));
            c.put("OOMGUARD_HEADROOM_BYTES", Long.toString(fig.binding().headroom().bytes()));
            c.put("OOMGUARD_USED_PERCENT", String.format(Locale.ROOT, "%.1f", fig.binding().percentUsed()));
            fig.timeToExhaustion().ifPresent(d -> c.put("OOMGUARD_SECONDS_LEFT", Long.toString(d.toSeconds())));
        });
        return c;
    }

    private void record(Step step, String line) {
        done.add(new Done(Instant.now(), step, (settings.dryRun() && step != null ? wording.tag() : "") + line));
    }
}
