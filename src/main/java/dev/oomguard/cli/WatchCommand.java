package dev.oomguard.cli;

import dev.oomguard.launch.CallerContext;
import dev.oomguard.logging.Diagnostics;
import dev.oomguard.proc.Errno;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.proc.Signals;
import dev.oomguard.proc.SyscallException;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oomguard watch --pid PID | --name REGEX}: guards a job that was started without oomguard.
 * The options it shares with {@code run} are the same mixins ({@link GuardOptions}), so their
 * names, defaults, converters and checks are declared once.
 */
@Command(name = "watch", header = "Guard a job that is already running.",
        versionProvider = Version.class, sortOptions = false,
        customSynopsis = "oomguard watch (--pid PID | --name REGEX) [--act] [OPTIONS]",
        description = {"Guards a job that is already running (started without oomguard): the process and its"
                + " descendants, against the same limits, with the same ladder and messages as 'run'.",
            "Observe-only unless --act: it says what it would do. It cannot collect the job's exit status, so it"
                + " reports 'status unknown' unless the kernel log or the OOM-kill counters show how it ended."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  oomguard watch --pid 3026",
            "  oomguard watch --name 'python3 train.py' --act --checkpoint-signal USR1",
            "",
            "Exit status:",
            "  0      the job ended, not for memory",
            "  137    OOM-killed, stopped by --act, or it lost processes to the OOM killer",
            "  125    oomguard's own error, bad options included",
            "  128+N  oomguard was stopped by signal N (Ctrl-C: 130) and left the job running",
            "",
            "More: man oomguard; docs/where-jobs-live.md."},
        exitCodeOnInvalidInput = ExitException.OWN_ERROR,
        exitCodeOnExecutionException = ExitException.OWN_ERROR)
public final class WatchCommand implements Callable<Integer> {
    @Option(names = "--pid", paramLabel = "PID",
            description = {"The job's main process.", "Its descendants count too."})
    Integer pid;

    @Option(names = "--name", paramLabel = "REGEX",
            description = {"Find the main process by its command line.",
                "A regular expression over command names and command lines (as 'pgrep -f'); it must find exactly"
                    + " one (processes under another match count as that one's tree)."})
    String name;

    @Option(names = "--act", description = {"Act on the decisions, not only say them.",
        "Carry out the ladder's decisions (checkpoint signal and hook, stop): signals go to the job's process group"
            + " when it leads one of its own, else to each of its processes. Default: observe only."})
    boolean act;

    @Mixin
    GuardOptions guard;

    @Mixin
    HelpOptions help;

    private final Console console;

    WatchCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Console out = console.withVerbose(guard.console.verbose);
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
        GuardedRun.Options options = guard.options(GuardOptions.RunOnly.NONE);
        guard.outputs.check();
        LibC libc = LibC.INSTANCE;
        ProcFs fs = ProcFs.system();
        WatchedProcess job = find(fs, libc.getpid(), pattern);
        checkAccess(libc, fs, job, out);
        long ignored = CallerContext.fromEnviron(SelfFiles.live().environ().orElse(List.of())).ignoredSignals();
        try (Diagnostics diagnostics = Diagnostics.start(guard.console.verbose, Optional.empty(), out.err(), out::say)) {
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
                new Signals(libc).kill(job.pid(), 0);
            } catch (SyscallException e) {
                if (e.is(Errno.EPERM)) {
                    throw ExitException.invalidInput("--act: no permission to signal " + job.who() + " (user "
                            + job.uid() + "); run oomguard watch as that user or as root, or leave out --act");
                }
            }
        }
        if (someoneElses && !guard.console.quiet) {
            out.say(job.who() + " belongs to user " + job.uid() + ": its memory is read from /proc/" + job.pid()
                    + "/status (PSS from smaps_rollup needs that user or root)");
        }
    }
}
