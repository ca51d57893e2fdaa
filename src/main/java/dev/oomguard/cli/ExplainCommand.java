package dev.oomguard.cli;

import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.ExplanationJson;
import dev.oomguard.explain.LogExplainer;
import dev.oomguard.explain.ReportExplainer;
import dev.oomguard.explain.SinceBootKills;
import dev.oomguard.explain.SinceSpec;
import dev.oomguard.kernellog.BootTime;
import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.kernellog.KernelLogs;
import dev.oomguard.kernellog.ParsedLog;
import dev.oomguard.kernellog.ReportRetention;
import dev.oomguard.kernellog.SourceProblem;
import dev.oomguard.kernellog.StreamSource;
import dev.oomguard.proc.CgroupOomKills;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.proc.VmStat;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oomguard explain}: finds OOM kills in a kernel log and explains them. Parses and delegates. */
@Command(name = "explain", sortOptions = false, header = "Explain kernel OOM kills, from the kernel log.",
        description = {"Finds kernel OOM kills (and userspace OOM daemons' kills) and explains them, newest first.",
            "Without --file it reads this machine's log: /dev/kmsg, dmesg, journalctl -k, /var/log/kern.log, "
                + "/var/log/messages, /var/log/syslog, the first that is readable.",
            "A report whose kill line is missing (rate-limited, cut, pasted in part) is explained with what it holds.",
            "Exit status: 0 the log was read (whether or not it holds a kill); 77 no kernel log source is readable "
                + "by this user (kernel.dmesg_restrict=1, no journal access): the answer then says how many OOM kills "
                + "the kernel counted since boot and how to see the reports (root, the adm or systemd-journal group, "
                + "sysctl kernel.dmesg_restrict=0, or --file); 125 bad options, or the --file cannot be read."})
public final class ExplainCommand implements Callable<Integer> {
    /** No kernel log source was readable (EX_NOPERM of sysexits.h): the answer rests on counters only. */
    public static final int LOG_UNREADABLE = 77;
    private static final Duration SOURCE_TIMEOUT = Duration.ofSeconds(20);
    /** Reports kept beyond --last, so kills can be ordered by time even when the log is not in order. */
    private static final int MIN_KEPT = 100;

    @Option(names = "--file", paramLabel = "FILE",
            description = {"Read this log instead; '-' is stdin.",
                "dmesg, dmesg -T, syslog, journalctl -o json or /dev/kmsg records; gzip accepted."})
    String file;

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Same as --file.")
    String positionalFile;

    @Option(names = "--pid", paramLabel = "PID", description = "Only kills that name this PID.")
    Integer pid;

    @Option(names = "--since", paramLabel = "TIME",
            description = {"Only kills at or after TIME.",
                "TIME: '2026-11-25 10:00:00', ISO-8601, '10 min ago', 'today'."})
    String since;

    @Option(names = "--last", paramLabel = "N", defaultValue = "10", description = "At most N kills (default 10).")
    int last;

    @Option(names = "--json", description = "Answer in JSON (schema oomguard.explain/1).")
    boolean json;

    @Mixin
    HelpOptions help;

    private final Console console;
    private final Clock clock;
    private final Function<String, List<KernelLogSource>> machineSources;
    private final Supplier<InputStream> stdin;
    private final Supplier<SinceBootKills> counters;

    public ExplainCommand(Console console) {
        this(console, Clock.systemDefaultZone(), KernelLogs::machineSources, () -> System.in,
                ExplainCommand::machineCounters);
    }

    ExplainCommand(Console console, Clock clock, Function<String, List<KernelLogSource>> machineSources,
            Supplier<InputStream> stdin) {
        this(console, clock, machineSources, stdin, ExplainCommand::machineCounters);
    }

    ExplainCommand(Console console, Clock clock, Function<String, List<KernelLogSource>> machineSources,
            Supplier<InputStream> stdin, Supplier<SinceBootKills> counters) {
        this.console = console;
        this.clock = clock;
        this.machineSources = machineSources;
        this.stdin = stdin;
        this.counters = counters;
    }

    @Override
    public Integer call() {
        if (file != null && positionalFile != null) {
            throw ExitException.invalidInput("give the log once: --file FILE or FILE, not both");
        }
        if (last < 1) {
            throw ExitException.invalidInput("--last must be at least 1, not " + last);
        }
        if (pid != null && pid < 1) {
            throw ExitException.invalidInput("--pid must be a positive process id, not " + pid);
        }
        ZoneId zone = clock.getZone();
        Instant sinceTime = null;
        if (since != null) {
            try {
                sinceTime = SinceSpec.parse(since, clock, zone);
            } catch (IllegalArgumentException e) {
                throw ExitException.invalidInput("--since: " + e.getMessage());
            }
        }
        String path = file != null ? file : positionalFile;
        List<KernelLogSource> sources = path == null ? machineSources.apply(since)
                : List.of(path.equals("-") ? StreamSource.stdin(stdin) : StreamSource.file(Path.of(path)));
        Instant boot = BootTime.read(Path.of("/proc")).orElse(null);
        LogExplainer.Query query = new LogExplainer.Query(pid, sinceTime, last);
        ReportRetention base = ReportRetention.DEFAULT;
        ReportRetention retention = new ReportRetention(Math.min(base.maxReports(), Math.max(last, MIN_KEPT)),
                base.maxBytes(), query::matches, base.maxUserspaceKills());
        KernelLogs logs = new KernelLogs(zone, LocalDateTime.now(clock), boot, SOURCE_TIMEOUT).keeping(retention);
        KernelLogs.Read read = logs.readFirst(sources, p -> console.say("cannot read " + p.source() + ": " + p.reason()
                + (path == null ? "; trying the next source" : "")));
        if (!read.found()) {
            if (path != null) {
                throw new ExitException(ExitException.OWN_ERROR, "cannot read the log " + path);
            }
            return blind(read.problems());
        }
        List<Explanation> kills = new LogExplainer(zone, ReportExplainer.DEFAULT_PAGE_KIB)
                .explain(read.log(), query);
        PrintWriter out = console.out();
        if (json) {
            new ExplanationJson(ReportExplainer.DEFAULT_PAGE_KIB)
                    .write(out, read.source(), read.problems(), read.log(), kills, null);
            out.println();
        } else if (kills.isEmpty()) {
            out.println(nothing(read.source(), read.log()));
        } else {
            for (int i = 0; i < kills.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                out.print(kills.get(i).text());
            }
            out.println(tally(read.source(), read.log(), kills));
        }
        out.flush();
        return 0;
    }

    /** The answer when no kernel log source is readable: say so, what the counters show, and the fix. */
    private int blind(List<SourceProblem> problems) {
        SinceBootKills c = counters.get();
        PrintWriter out = console.out();
        if (json) {
            new ExplanationJson(ReportExplainer.DEFAULT_PAGE_KIB).write(out, null, problems, null, List.of(), c);
            out.println();
        } else {
            out.println("Cannot see the kernel log: no source of it is readable by this user, so which processes "
                    + "the kernel OOM-killed, and why, cannot be told here.");
            for (SourceProblem p : problems) {
                out.println("  " + p.source() + ": " + p.reason());
            }
            out.println("What anyone can read, the kernel's OOM-kill counters:");
            for (String s : c.sentences()) {
                out.println("  " + s);
            }
            if (pid != null) {
                out.println("  (Whether PID " + pid + " was among them, the counters cannot say.)");
            }
            out.println("To see the reports: run as root (sudo oomguard explain); or join the adm group (syslog files) "
                    + "or the systemd-journal group (the journal); or allow everyone to read the kernel log with "
                    + "sysctl kernel.dmesg_restrict=0; or pass a saved log with --file.");
            out.println("(no kernel log was readable: exit status " + LOG_UNREADABLE + ")");
        }
        out.flush();
        console.say("cannot see the kernel log (no source is readable); the answer says what the counters show and how to see more");
        return LOG_UNREADABLE;
    }

    private String nothing(String source, ParsedLog log) {
        String query = (pid != null ? " for PID " + pid : "") + (since != null ? " since " + since : "");
        if (log.reportsFound() == 0) {
            return "No OOM kill found in " + source + "." + (query.isEmpty() ? "" : " (The query was" + query + ".)");
        }
        return "No OOM report in " + source + " matches" + query + "; it holds " + log.reportsFound()
                + (log.reportsFound() == 1 ? " OOM report" : " OOM reports") + " about other processes or times.";
    }

    /** How much of the log the list covers: found, matching, shown. */
    private static String tally(String source, ParsedLog log, List<Explanation> kills) {
        long shown = kills.stream().filter(e -> e.report() != null).count();
        StringBuilder sb = new StringBuilder("(read from " + source);
        if (log.reportsFound() > 0) {
            sb.append(": ").append(log.reportsFound()).append(log.reportsFound() == 1 ? " OOM report" : " OOM reports");
            if (log.reportsWanted() != log.reportsFound()) {
                sb.append(", ").append(log.reportsWanted()).append(" matching");
            }
            if (shown < log.reportsWanted()) {
                sb.append("; the newest ").append(shown).append(" shown");
            }
            if (log.reportsDropped() > 0 && shown == log.reportsWanted() - log.reportsDropped()) {
                sb.append(" (older ones are counted, not kept: memory stays bounded)");
            }
        }
        return sb.append(')').toString();
    }

    /** The counters anyone may read, for the answer without a kernel log. */
    static SinceBootKills machineCounters() {
        ProcFs fs = ProcFs.system();
        Long vmstat;
        try {
            OptionalLong v = VmStat.readOomKills(fs);
            vmstat = v.isPresent() ? v.getAsLong() : null;
        } catch (RuntimeException e) {
            vmstat = null;
        }
        CgroupOomKills.Census census = CgroupOomKills.read(fs);
        return new SinceBootKills(vmstat, census.counts(), census.complete());
    }
}
