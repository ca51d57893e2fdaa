package dev.oomguard.watch;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Figures;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.Step;
import dev.oomguard.proc.Signal;
import dev.oomguard.sample.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Carries out the ladder's decisions: says them on stderr, signals the job's group, asks for a
 * checkpoint (signal, flag file, hook), tells the {@code --notify} command; in a dry run it only
 * says what it would have done. Remembers what it did, for the summary and the exit status.
 */
public final class Responder implements Watcher.Listener {
    /** What to do when a process of the tree is OOM-killed while the job goes on. */
    public enum OnPartial { WARN, CHECKPOINT, STOP }

    /** The user's choices for acting. */
    public record Settings(boolean dryRun, Optional<Signal> checkpointSignal, Optional<String> onCheckpoint,
            Optional<String> notifyCommand, OnPartial onPartial, Optional<Path> checkpointFile) {
    }

    /** One thing done (or, in a dry run, that would have been done). */
    public record Done(Instant at, Step step, String line) {
    }

    private final Settings settings;
    private final IntConsumer signalGroup;
    private final Consumer<String> say;
    private final Hooks hooks;
    private final Map<String, String> jobContext;
    private final List<Done> done = new ArrayList<>();
    private volatile int jobPid = -1;
    private volatile boolean jobEnded;
    private volatile boolean stoppedByGuard;
    private volatile boolean monitoringFailed;

    public Responder(Settings settings, IntConsumer signalGroup, Consumer<String> say, Hooks hooks,
            Map<String, String> jobContext) {
        this.settings = settings;
        this.signalGroup = signalGroup;
        this.say = say;
        this.hooks = hooks;
        this.jobContext = new LinkedHashMap<>(jobContext);
    }

    @Override
    public void sampled(Sample sample) {
        // The tick's figures go to the run record (when asked for); nothing to do here.
    }

    @Override
    public synchronized void act(Action a) {
        String prefix = settings.dryRun() ? "dry run, would " : "";
        switch (a.step()) {
            case WARN, WARN_OUTSIDE -> say.accept("warning: " + a.why());
            case CHECKPOINT -> {
                // The signal first, the words after: near a limit, every fraction of a millisecond counts.
                if (!settings.dryRun()) {
                    settings.checkpointSignal().ifPresent(sig -> signalGroup.accept(sig.number()));
                }
                say.accept(prefix + "ask the job to checkpoint: " + a.why());
                if (!settings.dryRun()) {
                    checkpoint(a.why(), a.figures(), false);
                }
            }
            case TERMINATE -> {
                if (!settings.dryRun()) {
                    stoppedByGuard = true;
                    signalGroup.accept(Signal.TERM.number());
                    signalGroup.accept(Signal.CONT.number());
                }
                say.accept(prefix + "stop the job (TERM to its process group, KILL after the grace period): "
                        + a.why());
            }
            case KILL -> {
                say.accept(prefix + "kill the job (KILL to its process group): " + a.why());
                if (!settings.dryRun()) {
                    stoppedByGuard = true;
                    signalGroup.accept(Signal.KILL.number());
                }
            }
            case PAUSE -> {
                say.accept(prefix + "pause the job (STOP to its process group): " + a.why());
                if (!settings.dryRun()) {
                    signalGroup.accept(Signal.STOP.number());
                }
            }
            case RESUME -> {
                say.accept(prefix + "resume the job (CONT): " + a.why());
                if (!settings.dryRun()) {
                    signalGroup.accept(Signal.CONT.number());
                }
            }
            default -> { }
        }
        record(a.step(), a.describe());
        notify(a.step().name().toLowerCase(Locale.ROOT), a.why(), Optional.of(a.figures()));
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
                say.accept((settings.dryRun() ? "dry run, would " : "") + "ask the job to checkpoint (--on-partial-oom)");
                if (!settings.dryRun()) {
                    checkpoint(line, null);
                }
            }
            case STOP -> {
                say.accept((settings.dryRun() ? "dry run, would " : "") + "stop the job (--on-partial-oom stop)");
                if (!settings.dryRun()) {
                    stoppedByGuard = true;
                    signalGroup.accept(Signal.TERM.number());
                    signalGroup.accept(Signal.CONT.number());
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

    private void checkpoint(String reason, Figures f) {
        checkpoint(reason, f, true);
    }

    private void checkpoint(String reason, Figures f, boolean signal) {
        if (signal) {
            settings.checkpointSignal().ifPresent(sig -> signalGroup.accept(sig.number()));
        }
        settings.checkpointFile().ifPresent(file -> {
            try {
                Files.writeString(file, reason + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                say.accept("cannot write the checkpoint file " + file + ": " + e.getMessage());
            }
        });
        settings.onCheckpoint().ifPresent(cmd -> hooks.run("--on-checkpoint", cmd,
                context("checkpoint", reason, Optional.ofNullable(f))));
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
        done.add(new Done(Instant.now(), step, (settings.dryRun() && step != null ? "(dry run) " : "") + line));
    }
}
