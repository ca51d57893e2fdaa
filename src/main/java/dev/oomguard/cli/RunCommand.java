package dev.oomguard.cli;

import dev.oomguard.files.OutputFile;
import dev.oomguard.guard.GuardSettings;
import dev.oomguard.guard.Percent;
import dev.oomguard.guard.StallSettings;
import dev.oomguard.guard.StopMode;
import dev.oomguard.guard.Threshold;
import dev.oomguard.launch.CallerContext;
import dev.oomguard.launch.CommandBytes;
import dev.oomguard.launch.JobLock;
import dev.oomguard.launch.Spawner;
import dev.oomguard.launch.Supervisor;
import dev.oomguard.proc.JobCgroup;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.proc.Signal;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.trace.Phases;
import dev.oomguard.report.RunLog;
import dev.oomguard.units.ByteSize;
import dev.oomguard.watch.GuardedRun;
import dev.oomguard.watch.Responder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import dev.oomguard.units.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oomguard run [OPTIONS] [--] COMMAND [ARGS...]}: runs the job transparently and guards it. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Runs COMMAND as if oomguard were not there (same input, output, status and signals),"
                + " watches its memory against the limit that applies, and acts before the kernel does.",
        customSynopsis = {"oomguard run [OPTIONS] [--] COMMAND [ARGS...]",
            "   or: oomguard [OPTIONS] [--] COMMAND [ARGS...]"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  oomguard Rscript fit.R",
            "  oomguard --limit 12G --checkpoint-signal USR1 -- python3 train.py",
            "  oomguard -q --log ~/job.log --lock ~/.job.lock -- ~/bin/job    (in a crontab)",
            "",
            "Exit status:",
            "  the job's own  the job exited (killed by signal N: oomguard dies of N too)",
            "  137            oomguard stopped the job for memory, or the kernel OOM-killed",
            "                 some of its processes",
            "  125            oomguard's own error, bad options included",
            "  75             --lock: another run holds the lock; the job was not started",
            "  126, 127       the command cannot be run, or was not found",
            "",
            "More: man oomguard; README.md and docs/ (release archive and source)."},
        exitCodeOnInvalidInput = ExitException.OWN_ERROR,
        exitCodeOnExecutionException = ExitException.OWN_ERROR)
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--warn", paramLabel = "LEVEL", converter = Converters.Level.class, defaultValue = "80%",
            description = "Warn at this much of the binding limit used (80%%) or headroom left (2G). Default: ${DEFAULT-VALUE}.")
    Threshold warn;

    @Option(names = "--checkpoint", paramLabel = "LEVEL", converter = Converters.Level.class, defaultValue = "90%",
            description = "Ask the job to checkpoint at this level while still growing. Default: ${DEFAULT-VALUE}.")
    Threshold checkpoint;

    @Option(names = "--stop", paramLabel = "LEVEL", converter = Converters.Level.class, defaultValue = "95%",
            description = "Stop the job once it has passed this level and is still growing steadily (past this level"
                    + " of your --limit: at once, whatever its growth). Default: ${DEFAULT-VALUE}.")
    Threshold stop;

    @Option(names = "--limit", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Your own cap on the job's tree (resident + swapped), e.g. 12G.")
    ByteSize limit;

    @Option(names = "--memory-max", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Run the job in a memory cgroup of its own with this hard limit (root or a delegated"
                    + " cgroup; cgroup v1), removed afterwards.")
    ByteSize memoryMax;

    @Option(names = "--checkpoint-signal", paramLabel = "SIG", converter = Converters.SignalName.class,
            description = "Signal the job's group when a checkpoint is wanted (e.g. USR1; R quits on USR1).")
    Signal checkpointSignal;

    @Option(names = "--on-checkpoint", paramLabel = "CMD",
            description = "Run CMD (sh -c) when a checkpoint is wanted; context in OOMGUARD_* and JSON on stdin.")
    String onCheckpoint;

    @Option(names = "--checkpoint-lead", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s", description = "Ask for the checkpoint when exhaustion is predicted this close"
            + " (from the --forecast-floor level on). Default: ${DEFAULT-VALUE}.")
    Duration checkpointLead;

    @Option(names = "--forecast-floor", paramLabel = "LEVEL", converter = Converters.Level.class,
            description = "A forecast (--checkpoint-lead, --checkpoint-reserve) asks for a checkpoint only at or above"
                    + " this level, and only on growth sustained over 20s or more; the levels themselves need no"
                    + " forecast. Default: the --warn level.")
    Threshold forecastFloor;

    @Option(names = "--checkpoint-reserve", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Memory the checkpoint itself needs: ask for it while at least this much headroom is left"
                    + " (when the headroom above SIZE is predicted to run out within --checkpoint-lead).")
    ByteSize checkpointReserve;

    @Option(names = "--checkpoint-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a checkpoint may take: until the job acknowledges it (or this passes) a stop"
                    + " waits, unless exhaustion is predicted within --grace. Also the --on-checkpoint hook's time"
                    + " limit. Default: as long as --checkpoint-lead.")
    Duration checkpointTimeout;

    @Option(names = "--stop-action", paramLabel = "term|pause", defaultValue = "term",
            description = "term: TERM, then KILL after --grace; pause: STOP, resume when headroom returns,"
                    + " TERM after --pause-timeout. Default: ${DEFAULT-VALUE}.")
    String stopAction;

    @Option(names = "--pause-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5m", description = "How long a paused job may wait for headroom. Default: ${DEFAULT-VALUE}.")
    Duration pauseTimeout;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = "Time a process gets between TERM and KILL (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--on-partial-oom", paramLabel = "warn|checkpoint|stop", defaultValue = "warn",
            description = "What to do when the kernel kills some of the job's processes. Default: ${DEFAULT-VALUE}.")
    String onPartial;

    @Option(names = "--warn-stall", paramLabel = "PERCENT|off", defaultValue = "20%",
            description = "Act when the job spends this share of --stall-window stalled on memory (thrashing,"
                    + " PSI full); off: only report it. Default: ${DEFAULT-VALUE}.")
    String warnStall;

    @Option(names = "--stall-window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "30s", description = "The window --warn-stall is measured over. Default: ${DEFAULT-VALUE}.")
    Duration stallWindow;

    @Option(names = "--on-stall", paramLabel = "warn|checkpoint|stop", defaultValue = "warn",
            description = "What to do when --warn-stall is reached. Default: ${DEFAULT-VALUE}.")
    String onStall;

    @Option(names = "--allow-partial",
            description = "Exit with the job's status even if some of its processes were OOM-killed (default: 137).")
    boolean allowPartial;

    @Option(names = "--preserve-status",
            description = "When oomguard stopped the job, exit with the job's own status instead of 137.")
    boolean preserveStatus;

    @Option(names = "--dry-run", description = "Do everything but act: say what would have been done.")
    boolean dryRun;

    @Option(names = "--notify", paramLabel = "CMD",
            description = "Run CMD (sh -c) on every event (warn, checkpoint, stop, partial kill, exit).")
    String notify;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5s", description = "Time between full samples (the tree walk and every limit) at rest;"
                    + " closer together while the job is young or its memory moves fast. Between"
                    + " them the kernel's memory thresholds, or a cheap figure polled closer together near the"
                    + " thresholds, wake the guard at once. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--keep-orphans",
            description = "Leave processes the job left running when it ends (default: TERM, then KILL after --grace).")
    boolean keepOrphans;

    @Option(names = "--no-reraise",
            description = "When the job dies of signal N, exit with 128+N instead of dying of the same signal.")
    boolean noReraise;

    @Option(names = "--record", paramLabel = "FILE.jsonl",
            description = "Write the run as it happens, one JSON object per line (schema oomguard.record/1).")
    Path record;

    @Option(names = "--summary-json", paramLabel = "FILE",
            description = "Write the summary as JSON at exit, atomically (schema oomguard.summary/1).")
    Path summaryJson;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write the run as a self-contained HTML report at exit, drawn from the run record"
                    + " (--record, else FILE.jsonl beside the report).")
    Path html;

    @Option(names = "--prom-textfile", paramLabel = "FILE",
            description = "Write Prometheus metrics for node_exporter's textfile collector (atomically; every"
                    + " --prom-interval while running, and at the end).")
    Path promTextfile;

    @Option(names = "--prom-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s", description = "How often the metrics file is rewritten while running."
            + " Default: ${DEFAULT-VALUE}.")
    Duration promInterval;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The job's name in metrics (default: the command's file name).")
    String name;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Append oomguard's messages and the summary of every run (whatever --quiet) to FILE,"
                    + " timestamped.")
    Path log;

    @Option(names = "--lock", paramLabel = "FILE",
            description = "Run only while holding an exclusive flock on FILE (as flock(1)); the job inherits it."
                    + " If another run holds it, exit 75 at once.")
    Path lock;

    @Option(names = "--lock-wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --lock: wait up to this long for the other run to end, then exit 75.")
    Duration lockWait;

    @Option(names = "--title",
            description = "Keep the terminal's (tmux pane's) title set to a short memory status. Only on a terminal.")
    boolean title;

    @Option(names = "--status",
            description = "Draw the same status as a live line on stderr (shared with the job's own output)."
                    + " Only on a terminal.")
    boolean status;

    @Option(names = {"-q", "--quiet"}, description = "Print the summary only when something happened or the job failed.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Say more about what oomguard does.")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    private final Console console;
    private final Ending ending;

    public RunCommand(Console console, Ending ending) {
        this.console = console;
        this.ending = ending;
    }

    @Override
    public Integer call() {
        Phases.mark("options parsed");
        Console out = console.withVerbose(verbose);
        GuardedRun.Options options = options();
        checkOutputs();
        Phases.mark("options checked");
        LibC libc;
        try {
            libc = LibC.INSTANCE;
            Phases.mark("libc loaded");
        } catch (LinkageError e) { // no native access (a trimmed runtime, a noexec /tmp): never lose the job
            out.say("cannot load native access (" + e + "); running the job unguarded");
            return dev.oomguard.launch.Unguarded.run(command, out::say);
        }
        Optional<RunLog> runLog = openLog(out, libc.getpid());
        // The log gets each line as stderr shows it: control characters (in a process name) escaped.
        Consumer<String> logged = line -> runLog.ifPresent(l -> l.accept(Printable.line(line)));
        Consumer<String> say = line -> {
            out.say(line);
            logged.accept(line);
        };
        Consumer<String> detail = line -> {
            out.detail(line);
            logged.accept(line);
        };
        try {
            return run(out, options, libc, say, detail, runLog.isPresent() ? logged : GuardedRun.NOWHERE);
        } catch (ExitException e) {
            logged.accept(e.getMessage());
            throw e;
        }
    }

    private Integer run(Console out, GuardedRun.Options options, LibC libc, Consumer<String> say,
            Consumer<String> detail, Consumer<String> logOnly) {
        SelfFiles self = SelfFiles.live();
        List<byte[]> argv = CommandBytes.of(command, self.cmdline(), jvmCharset());
        List<byte[]> environ = self.environ().orElseGet(RunCommand::environFromJvm);
        OptionalInt callerEnvironFd = CallerContext.callerEnvironFd(environ);
        CallerContext caller = CallerContext.fromEnviron(environ,
                callerEnvironFd.isPresent() ? self.descriptorContents(callerEnvironFd.getAsInt()) : Optional.empty());
        if (lock != null) {
            JobLock held = takeLock(libc, detail);
            caller = caller.withPassedFd(held.fd());
        }
        GuardedRun.Ending end;
        Optional<JobCgroup> group = Optional.empty();
        if (memoryMax != null) {
            try {
                group = Optional.of(JobCgroup.create(ProcFs.system(), libc, memoryMax));
            } catch (JobCgroup.NotPermitted e) {
                throw ExitException.invalidInput(e.getMessage());
            }
            detail.accept("the job runs in the memory cgroup " + group.get().path() + " (limit " + memoryMax.human() + ")");
            group.get().swept().forEach(g -> detail.accept("removed the empty memory cgroup " + g
                    + ", left by an oomguard that has ended"));
        }
        try {
            end = new GuardedRun(libc, say, detail, out.err(), logOnly).run(String.join(" ", command), argv, caller,
                    options.inCgroup(group));
        } catch (Spawner.SpawnFailure e) {
            throw new ExitException(e.exitStatus(), e.getMessage());
        } catch (Spawner.PlacementFailure e) {
            throw ExitException.invalidInput(e.getMessage());
        } catch (GuardedRun.SetupFailure e) {
            throw ExitException.invalidInput(e.getMessage() + " (the job was not started)");
        } finally {
            group.ifPresent(g -> {
                g.close();
                if (!g.removed()) {
                    say.accept("the memory cgroup " + g.directory() + " still holds processes; it was left in place");
                }
            });
        }
        if (end.reraiseSignal() > 0) {
            ending.reraise(end.reraiseSignal());
        }
        return end.status();
    }

    /** --log: opened before anything else, so an unwritable file stops the run before the job starts. */
    private Optional<RunLog> openLog(Console out, int pid) {
        if (log == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunLog.open(log, pid, Clock.systemDefaultZone(), out::say));
        } catch (IOException e) {
            throw ExitException.invalidInput(e.getMessage());
        }
    }

    /** --lock: held from here to oomguard's end, and by the job, which inherits the descriptor. */
    private JobLock takeLock(LibC libc, Consumer<String> detail) {
        Duration wait = lockWait == null ? Duration.ZERO : lockWait;
        try {
            JobLock held = JobLock.acquire(libc, lock, wait);
            detail.accept("holding the lock " + lock + " (descriptor " + held.fd() + ", inherited by the job)");
            return held;
        } catch (JobLock.Busy e) {
            throw new ExitException(JobLock.BUSY_STATUS, e.getMessage());
        } catch (JobLock.Unusable e) {
            throw ExitException.invalidInput(e.getMessage());
        }
    }

    /**
     * The files written at the end (or every --prom-interval) can be written: checked before the
     * job starts, so that a path that will not take them stops the run now (125) instead of losing
     * them at the end. --record and --log are opened before the job starts, which checks them.
     */
    void checkOutputs() {
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("--summary-json", summaryJson);
        outputs.put("--prom-textfile", promTextfile);
        outputs.put("--html", html);
        outputs.forEach((option, file) -> {
            if (file != null) {
                try {
                    OutputFile.checkReplaceable(file);
                } catch (IOException e) {
                    throw ExitException.invalidInput(option + ": " + e.getMessage());
                }
            }
        });
    }

    /** The guard's options from the fields (also used by {@code watch}, which shares most of them). */
    GuardedRun.Options options() {
        if (lockWait != null && lock == null) {
            throw ExitException.invalidInput("--lock-wait needs --lock FILE (the lock to wait for)");
        }
        if (lockWait != null && lockWait.isNegative()) {
            throw ExitException.invalidInput("--lock-wait must not be negative, not '" + Durations.format(lockWait) + "'");
        }
        StopMode mode = switch (stopAction) {
            case "term", "terminate" -> StopMode.TERMINATE;
            case "pause" -> StopMode.PAUSE;
            default -> throw ExitException.invalidInput("--stop-action takes term or pause, not '" + stopAction + "'");
        };
        Responder.OnPartial partial = switch (onPartial) {
            case "warn" -> Responder.OnPartial.WARN;
            case "checkpoint" -> Responder.OnPartial.CHECKPOINT;
            case "stop" -> Responder.OnPartial.STOP;
            default -> throw ExitException.invalidInput("--on-partial-oom takes warn, checkpoint or stop, not '"
                    + onPartial + "'");
        };
        StallSettings stall = stallSettings();
        if (interval.toMillis() < 1) {
            throw ExitException.invalidInput("--interval must be at least 1ms, not '" + Durations.format(interval) + "'");
        }
        GuardSettings defaults = GuardSettings.defaults();
        GuardSettings guard;
        try {
            guard = new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, mode, pauseTimeout,
                    defaults.hysteresis(), defaults.growthWindow(), defaults.growthHorizon())
                    .withForecastFloor(Optional.ofNullable(forecastFloor));
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput(e.getMessage() + " (see 'oomguard run --help')");
        }
        if (checkpointReserve != null) {
            guard = guard.withCheckpointReserve(checkpointReserve);
            reserveFits("--memory-max", memoryMax);
            reserveFits("--limit", limit);
        }
        LimitSources limits = limit == null ? LimitSources.standard() : LimitSources.standard().withUserLimit(limit);
        Responder.Settings act = new Responder.Settings(dryRun, Optional.ofNullable(checkpointSignal),
                Optional.ofNullable(onCheckpoint), Optional.ofNullable(notify), partial, Optional.empty(),
                Optional.ofNullable(checkpointTimeout));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("warn", warn.toString());
        settings.put("checkpoint", checkpoint.toString());
        settings.put("stop", stop.toString());
        settings.put("limit", limit == null ? "" : limit.toString());
        settings.put("memory_max", memoryMax == null ? "" : memoryMax.toString());
        settings.put("stop_action", stopAction);
        settings.put("grace", Durations.format(grace));
        settings.put("checkpoint_lead", Durations.format(checkpointLead));
        settings.put("forecast_floor", forecastFloor == null ? warn.toString() : forecastFloor.toString());
        settings.put("checkpoint_reserve", checkpointReserve == null ? "" : checkpointReserve.toString());
        settings.put("checkpoint_timeout", Durations.format(checkpointTimeout == null ? checkpointLead : checkpointTimeout));
        settings.put("interval", Durations.format(interval));
        settings.put("on_partial_oom", onPartial);
        settings.put("warn_stall", warnStall);
        settings.put("stall_window", Durations.format(stallWindow));
        settings.put("on_stall", onStall);
        return new GuardedRun.Options(guard, limits, interval, act, preserveStatus, allowPartial, quiet,
                new Supervisor.Settings(grace, keepOrphans), !noReraise, Optional.ofNullable(recordPath()),
                Optional.ofNullable(summaryJson), settings, Optional.ofNullable(promTextfile), name, promInterval, title, status, Optional.ofNullable(html), stall);
    }

    private StallSettings stallSettings() {
        StallSettings.OnStall action = switch (onStall) {
            case "warn" -> StallSettings.OnStall.WARN;
            case "checkpoint" -> StallSettings.OnStall.CHECKPOINT;
            case "stop" -> StallSettings.OnStall.STOP;
            default -> throw ExitException.invalidInput("--on-stall takes warn, checkpoint or stop, not '" + onStall + "'");
        };
        if (stallWindow.isZero() || stallWindow.isNegative()) {
            throw ExitException.invalidInput("--stall-window must be positive, not '" + Durations.format(stallWindow) + "'");
        }
        Optional<Percent> at;
        try {
            at = warnStall.equals("off") ? Optional.empty() : Optional.of(Percent.parse(warnStall));
            return StallSettings.defaults().with(at, stallWindow, action, grace);
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput("--warn-stall: " + e.getMessage() + " (or 'off')");
        }
    }

    /** The checkpoint's reserve must leave room for the job under a limit given here. */
    private void reserveFits(String option, ByteSize limitGiven) {
        if (limitGiven != null && checkpointReserve.compareTo(limitGiven) >= 0) {
            throw ExitException.invalidInput("--checkpoint-reserve " + checkpointReserve + " does not fit in " + option
                    + " " + limitGiven + ": give a reserve smaller than the limit, or a larger limit");
        }
    }

    /** --html draws from a record: the user's, or one kept beside the report for this run. */
    private Path recordPath() {
        if (record != null || html == null) {
            return record;
        }
        Path abs = html.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".jsonl");
    }

    private static Charset jvmCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static List<byte[]> environFromJvm() {
        List<byte[]> env = new ArrayList<>();
        System.getenv().forEach((k, v) -> env.add((k + "=" + v).getBytes(StandardCharsets.UTF_8)));
        return env;
    }
}
