package dev.oomguard.cli;

import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.ExplanationJson;
import dev.oomguard.explain.LogExplainer;
import dev.oomguard.explain.ReportExplainer;
import dev.oomguard.explain.SinceSpec;
import dev.oomguard.kernellog.BootTime;
import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.kernellog.KernelLogs;
import dev.oomguard.kernellog.StreamSource;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oomguard explain}: finds OOM kills in a kernel log and explains them. Parses and delegates. */
@Command(name = "explain",
        description = {"Finds kernel OOM kills (and userspace OOM daemons' kills) and explains them, newest first.",
            "Without --file it reads this machine's log: /dev/kmsg, dmesg, journalctl -k, /var/log/kern.log, "
                + "/var/log/messages, /var/log/syslog, the first that is readable."},
        mixinStandardHelpOptions = true)
public final class ExplainCommand implements Callable<Integer> {
    private static final Duration SOURCE_TIMEOUT = Duration.ofSeconds(20);

    @Option(names = "--file", paramLabel = "FILE",
            description = "Read this log instead (dmesg, dmesg -T, syslog, journalctl -o json, /dev/kmsg records; "
                    + "gzip accepted); '-' is stdin.")
    String file;

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Same as --file.")
    String positionalFile;

    @Option(names = "--pid", paramLabel = "PID", description = "Only kills that name this PID.")
    Integer pid;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only kills at or after TIME ('2026-11-25 10:00:00', ISO-8601, '10 min ago', 'today').")
    String since;

    @Option(names = "--last", paramLabel = "N", defaultValue = "10", description = "At most N kills (default 10).")
    int last;

    @Option(names = "--json", description = "Answer in JSON (schema oomguard.explain/1).")
    boolean json;

    private final Console console;
    private final Clock clock;
    private final Function<String, List<KernelLogSource>> machineSources;
    private final Supplier<InputStream> stdin;

    public ExplainCommand(Console console) {
        this(console, Clock.systemDefaultZone(), KernelLogs::machineSources, () -> System.in);
    }

    ExplainCommand(Console console, Clock clock, Function<String, List<KernelLogSource>> machineSources,
            Supplier<InputStream> stdin) {
        this.console = console;
        this.clock = clock;
        this.machineSources = machineSources;
        this.stdin = stdin;
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
        KernelLogs logs = new KernelLogs(zone, LocalDateTime.now(clock), boot, SOURCE_TIMEOUT);
        KernelLogs.Read read = logs.readFirst(sources, p -> console.say("cannot read " + p.source() + ": " + p.reason()
                + (path == null ? "; trying the next source" : "")));
        if (!read.found()) {
            throw new ExitException(ExitException.OWN_ERROR, path == null
                    ? "no kernel log is readable here; run as root, or pass a saved log with --file"
                    : "cannot read the log " + path);
        }
        List<Explanation> kills = new LogExplainer(zone, ReportExplainer.DEFAULT_PAGE_KIB)
                .explain(read.log(), new LogExplainer.Query(pid, sinceTime, last));
        if (json) {
            console.out().println(new ExplanationJson(ReportExplainer.DEFAULT_PAGE_KIB)
                    .render(read.source(), read.problems(), kills));
        } else if (kills.isEmpty()) {
            console.out().println("No OOM kill found in " + read.source()
                    + (pid != null ? " for PID " + pid : "") + (since != null ? " since " + since : "") + ".");
        } else {
            for (int i = 0; i < kills.size(); i++) {
                if (i > 0) {
                    console.out().println();
                }
                console.out().print(kills.get(i).text());
            }
            console.out().println("(read from " + read.source() + ")");
        }
        console.out().flush();
        return 0;
    }
}
