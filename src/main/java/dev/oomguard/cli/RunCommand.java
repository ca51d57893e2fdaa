package dev.oomguard.cli;

import dev.oomguard.launch.CallerContext;
import dev.oomguard.launch.CommandBytes;
import dev.oomguard.launch.JobLock;
import dev.oomguard.launch.Spawner;
import dev.oomguard.logging.Diagnostics;
import dev.oomguard.proc.JobCgroup;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.NativeStart;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.report.RunLog;
import dev.oomguard.trace.Phases;
import dev.oomguard.units.ByteSize;
import dev.oomguard.watch.GuardedRun;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import dev.oomguard.units.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oomguard run [OPTIONS] [--] COMMAND [ARGS...]}: runs the job transparently and guards it. */
@Command(name = "run", header = "Run COMMAND, guard its memory, act before the kernel does.",
        versionProvider = Version.class, sortOptions = false,
        description = "Runs COMMAND transparently, guards its memory, and acts before the kernel does.",
        customSynopsis = "oomguard [run] [OPTIONS] [--] COMMAND [ARGS...]",
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
    @Mixin
    GuardOptions guard;

    @Mixin
    HelpOptions help;

    @Option(names = "--memory-max", paramLabel = "SIZE", converter = Converters.Size.class,
            description = {"Run the job in a cgroup with this limit.",
                "A fresh memory cgroup of its own with this hard limit (root or a delegated cgroup; cgroup v1),"
                    + " removed afterwards."})
    ByteSize memoryMax;

    @Option(names = "--preserve-status",
            description = {"Keep the job's status when it was stopped.",
                "When oomguard stopped the job, exit with the job's own status instead of 137."})
    boolean preserveStatus;

    @Option(names = "--keep-orphans",
            description = {"Leave processes the job left running.",
                "When the job ends, leave the processes it left running (default: TERM, then KILL after --grace)."})
    boolean keepOrphans;

    @Option(names = "--no-reraise",
            description = {"Exit 128+N when the job dies of signal N.",
                "Instead of dying of the same signal, as oomguard does by default."})
    boolean noReraise;

    @Option(names = "--dry-run",
            description = {"Say what would be done, but do not act.",
                "Do everything but act: say what would have been done."})
    boolean dryRun;

    @Option(names = "--name", paramLabel = "NAME",
            description = {"The job's name in metrics.", "Default: the command's file name."})
    String name;

    @Option(names = "--log", paramLabel = "FILE",
            description = {"Append messages and summaries to FILE.",
                "oomguard's messages and the summary of every run (whatever --quiet), timestamped."})
    Path log;

    @Option(names = "--lock", paramLabel = "FILE",
            description = {"Run only while holding a flock on FILE.",
                "An exclusive flock on FILE (the lock flock(1) takes; the job inherits it); if another run holds"
                    + " it, exit 75 at once with one line."})
    Path lock;

    @Option(names = "--lock-wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = {"Wait this long for --lock, then exit 75.",
                "With --lock: wait up to this long for the other run to end, then exit 75."})
    Duration lockWait;

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
        Console out = console.withVerbose(guard.console.verbose);
        GuardedRun.Options options = options();
        guard.outputs.check();
        Phases.mark("options checked");
        Job job = job(); // while native access still loads
        LibC libc;
        try {
            libc = NativeStart.libc(); // begun by Main, beside the parsing
            Phases.mark("libc loaded");
            ending.through(libc);
        } catch (LinkageError e) { // no native access (a trimmed runtime, a noexec /tmp): never lose the job
            out.say("cannot load native access (" + e + "); running the job unguarded");
            return dev.oomguard.launch.Unguarded.run(command, out::say);
        }
        Diagnostics diagnostics = Diagnostics.start(guard.console.verbose, openLog(out, libc.getpid()), out.err(), out::say);
        // The log gets each line as stderr shows it: control characters (in a process name) escaped.
        Consumer<String> logged = line -> diagnostics.event(Printable.line(line));
        Consumer<String> say = line -> {
            out.say(line);
            logged.accept(line);
        };
        Consumer<String> detail = line -> diagnostics.detail(Printable.line(line));
        try {
            return run(out, options, job, libc, say, detail, diagnostics.logsEvents() ? logged : GuardedRun.NOWHERE);
        } catch (ExitException e) {
            logged.accept(e.getMessage());
            throw e;
        } finally {
            diagnostics.close();
        }
    }

    /** The job's command line as the caller's bytes, and what the caller gave oomguard to pass on. */
    private record Job(List<byte[]> argv, CallerContext caller) {
    }

    private Job job() {
        SelfFiles self = SelfFiles.live();
        List<byte[]> argv = CommandBytes.of(command, self.cmdline(), jvmCharset());
        List<byte[]> environ = self.environ().orElseGet(RunCommand::environFromJvm);
        OptionalInt callerEnvironFd = CallerContext.callerEnvironFd(environ);
        CallerContext caller = CallerContext.fromEnviron(environ,
                callerEnvironFd.isPresent() ? self.descriptorContents(callerEnvironFd.getAsInt()) : Optional.empty());
        Phases.mark("command and caller read");
        return new Job(argv, caller);
    }

    private Integer run(Console out, GuardedRun.Options options, Job job, LibC libc, Consumer<String> say,
            Consumer<String> detail, Consumer<String> logOnly) {
        List<byte[]> argv = job.argv();
        CallerContext caller = job.caller();
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

    /** The guard's options from the options given. */
    GuardedRun.Options options() {
        if (lockWait != null && lock == null) {
            throw ExitException.invalidInput("--lock-wait needs --lock FILE (the lock to wait for)");
        }
        if (lockWait != null && lockWait.isNegative()) {
            throw ExitException.invalidInput("--lock-wait must not be negative, not '" + Durations.format(lockWait) + "'");
        }
        return guard.options(new GuardOptions.RunOnly(memoryMax, dryRun, preserveStatus, keepOrphans, !noReraise, name));
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
