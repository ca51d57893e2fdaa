package dev.oomguard.cli;

import com.sun.jna.LastErrorException;
import dev.oomguard.launch.CallerContext;
import dev.oomguard.logging.Diagnostics;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.watch.GuardedRun;
import dev.oomguard.watch.ProcessMatcher;
import dev.oomguard.watch.WatchedProcess;
import dev.oomguard.watch.WatchedRun;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code oomguard watch --pid PID | --name REGEX}: guards a job that was started without oomguard.
 * The options it shares with {@code run} are run's own ({@link #SHARED}, bound to a
 * {@link RunCommand} instance), so their names, defaults, converters and checks are declared once.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Guards a job that is already running (started without oomguard): the process and its"
                + " descendants, against the same limits, with the same ladder and messages as 'run'.",
            "Observe-only unless --act: it says what it would do. It cannot collect the job's exit status, so it"
                + " reports 'status unknown' unless the kernel log or the OOM-kill counters show how it ended.",
            "Exit status: 0 the job ended, not for memory; 137 it was OOM-killed, stopped by --act, or lost"
                + " processes to the OOM killer; 125 oomguard's own error; 128+N oomguard was stopped by signal N"
                + " (Ctrl-C: 130) and left the job running."},
        exitCodeOnInvalidInput = ExitException.OWN_ERROR,
        exitCodeOnExecutionException = ExitException.OWN_ERROR)
public final class WatchCommand implements Callable<Integer> {
    /** run's options that mean the same for a watched job. */
    static final List<String> SHARED = List.of("--warn", "--checkpoint", "--stop", "--limit", "--checkpoint-signal",
            "--on-checkpoint", "--checkpoint-lead", "--forecast-floor", "--checkpoint-reserve", "--checkpoint-timeout", "--stop-action",
            "--pause-timeout", "--grace", "--on-partial-oom", "--warn-stall", "--stall-window", "--on-stall",
            "--allow-partial", "--notify", "--interval", "--record", "--summary-json", "--html", "--prom-textfile",
            "--prom-interval", "--title", "--status", "--quiet", "--verbose");

    @Option(names = "--pid", paramLabel = "PID", description = "The job's main process (its descendants count too).")
    Integer pid;

    @Option(names = "--name", paramLabel = "REGEX", description = "The job's main process, found by a regular"
            + " expression over command names and command lines (as 'pgrep -f'); it must find exactly one"
            + " (processes under another match count as that one's tree).")
    String name;

    @Option(names = "--act", description = "Carry out the ladder's decisions (checkpoint signal and hook, stop):"
            + " signals go to the job's process group when it leads one of its own, else to each of its processes."
            + " Default: observe only.")
    boolean act;

    private final Console console;
    private final RunCommand run;

    WatchCommand(Console console, RunCommand run) {
        this.console = console;
        this.run = run;
    }

    /** The command's model: its own options plus run's {@link #SHARED} ones. */
    static CommandSpec spec(Console console, Ending ending) {
        RunCommand run = new RunCommand(console, ending);
        CommandSpec runSpec = CommandSpec.forAnnotatedObject(run);
        CommandSpec spec = CommandSpec.forAnnotatedObject(new WatchCommand(console, run));
        for (String option : SHARED) {
            OptionSpec shared = runSpec.findOption(option);
            if (shared == null) {
                throw new IllegalStateException("run has no option " + option);
            }
            spec.addOption(shared);
        }
        return spec;
    }

    @Override
    public Integer call() {
        Console out = console.withVerbose(run.verbose);
        if ((pid == null) == (name == null)) {
            throw ExitException.invalidInput(pid == null ? "watch needs --pid PID or --name REGEX (see 'oomguard watch"
                    + " --help')" : "give --pid or --name, not both");
        }
        Optional<Pattern> pattern = Optional.empty();
        if (name != null) {
            try {
                pattern = Optional.of(Pattern.compile(name));
            } catch (PatternSyntaxException e) {
                throw ExitException.invalidInput("--name: '" + name + "' is not a regular expression ("
                        + e.getDescription() + ")");
            }
        }
        if (pid != null && pid <= 0) {
            throw ExitException.invalidInput("--pid takes a process ID above 0, not " + pid);
        }
        GuardedRun.Options options = run.options();
        run.checkOutputs();
        LibC libc = LibC.INSTANCE;
        ProcFs fs = ProcFs.system();
        WatchedProcess job = find(fs, libc.getpid(), pattern);
        checkAccess(libc, fs, job, out);
        long ignored = CallerContext.fromEnviron(SelfFiles.live().environ().orElse(List.of())).ignoredSignals();
        try (Diagnostics diagnostics = Diagnostics.start(run.verbose, Optional.empty(), out.err(), out::say)) {
            Consumer<String> say = line -> {
                out.say(line);
                diagnostics.event(Printable.line(line));
            };
            return new WatchedRun(libc, say, line -> diagnostics.detail(Printable.line(line)), out.err())
                    .watch(job, options, act, ignored);
        } catch (GuardedRun.SetupFailure e) {
            throw ExitException.invalidInput(e.getMessage());
        }
    }

    private WatchedProcess find(ProcFs fs, int self, Optional<Pattern> pattern) {
        List<ProcessMatcher.Candidate> all = ProcessMatcher.scan(fs);
        java.util.Set<Integer> ours = ProcessMatcher.selfAndAncestors(self, all);
        int target;
        if (pattern.isPresent()) {
            List<ProcessMatcher.Candidate> matches = ProcessMatcher.match(pattern.get(), all, ours);
            if (matches.size() != 1) {
                throw ExitException.invalidInput(ProcessMatcher.problem(name, matches));
            }
            target = matches.get(0).pid();
        } else {
            target = pid;
            if (ours.contains(target)) {
                throw ExitException.invalidInput("--pid " + target + " is oomguard itself or the process that started"
                        + " it: give the job's PID");
            }
        }
        try {
            return WatchedProcess.read(fs, target).orElseThrow(() -> ExitException.invalidInput("no process "
                    + target + " is running" + (fs.exists("/proc/" + target) ? "" : " (or /proc hides other users'"
                    + " processes: mounted with hidepid)") + "; see 'ps -eo pid,args'"));
        } catch (UncheckedIOException e) {
            throw ExitException.invalidInput("cannot read /proc/" + target + ": " + e.getCause().getMessage()
                    + "; run oomguard watch as the job's user or as root");
        }
    }

    /** What a non-root user may do with another user's process: read its memory, not signal it. */
    private void checkAccess(LibC libc, ProcFs fs, WatchedProcess job, Console out) {
        try {
            if (fs.readProcess(job.pid(), "status").isEmpty()) {
                throw ExitException.invalidInput(job.who() + " has ended: nothing to watch");
            }
        } catch (UncheckedIOException e) {
            throw ExitException.invalidInput("cannot read /proc/" + job.pid() + "/status (" + e.getCause().getMessage()
                    + "): its memory cannot be measured; run oomguard watch as the job's user or as root");
        }
        int euid = libc.geteuid();
        boolean someoneElses = euid != 0 && job.uid() >= 0 && job.uid() != euid;
        if (act) {
            try {
                libc.kill(job.pid(), 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EPERM) {
                    throw ExitException.invalidInput("--act: no permission to signal " + job.who() + " (user "
                            + job.uid() + "); run oomguard watch as that user or as root, or leave out --act");
                }
            }
        }
        if (someoneElses && !run.quiet) {
            out.say(job.who() + " belongs to user " + job.uid() + ": its memory is read from /proc/" + job.pid()
                    + "/status (PSS from smaps_rollup needs that user or root)");
        }
    }
}
