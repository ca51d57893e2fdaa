package dev.oomguard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Generated from picocli's model of the subcommands by {@link RunOptionTableSource}; do not edit.
 * Regenerate with: mvn -q -B package -DskipTests && java -cp target/oomguard.jar dev.oomguard.cli.Docs --run-option-table src/main/java/dev/oomguard/cli/RunOptionTable.java
 * <p>
 * The options of the configurable subcommands, and how each option of {@code run} is set:
 * converted as its picocli converter converts, into the field picocli sets.
 */
final class RunOptionTable implements ConfigSettings.Options {
    /** The subcommands a configuration file may name. */
    static final List<String> CONFIGURABLE = List.of("run", "explain", "report", "watch");

    private static final Map<String, ConfigSettings.Option> RUN = Map.ofEntries(
            Map.entry("--warn", new ConfigSettings.Option("--warn", false, false, "LEVEL")),
            Map.entry("--checkpoint", new ConfigSettings.Option("--checkpoint", false, false, "LEVEL")),
            Map.entry("--stop", new ConfigSettings.Option("--stop", false, false, "LEVEL")),
            Map.entry("--limit", new ConfigSettings.Option("--limit", false, false, "SIZE")),
            Map.entry("--forecast-floor", new ConfigSettings.Option("--forecast-floor", false, false, "LEVEL")),
            Map.entry("--interval", new ConfigSettings.Option("--interval", false, false, "DURATION")),
            Map.entry("--warn-stall", new ConfigSettings.Option("--warn-stall", false, false, "PERCENT|off")),
            Map.entry("--stall-window", new ConfigSettings.Option("--stall-window", false, false, "DURATION")),
            Map.entry("--stop-action", new ConfigSettings.Option("--stop-action", false, false, "term|pause")),
            Map.entry("--grace", new ConfigSettings.Option("--grace", false, false, "DURATION")),
            Map.entry("--pause-timeout", new ConfigSettings.Option("--pause-timeout", false, false, "DURATION")),
            Map.entry("--on-partial-oom", new ConfigSettings.Option("--on-partial-oom", false, false, "warn|checkpoint|stop")),
            Map.entry("--on-stall", new ConfigSettings.Option("--on-stall", false, false, "warn|checkpoint|stop")),
            Map.entry("--allow-partial", new ConfigSettings.Option("--allow-partial", true, false, "<allowPartial>")),
            Map.entry("--notify", new ConfigSettings.Option("--notify", false, false, "CMD")),
            Map.entry("--checkpoint-signal", new ConfigSettings.Option("--checkpoint-signal", false, false, "SIG")),
            Map.entry("--on-checkpoint", new ConfigSettings.Option("--on-checkpoint", false, false, "CMD")),
            Map.entry("--checkpoint-lead", new ConfigSettings.Option("--checkpoint-lead", false, false, "DURATION")),
            Map.entry("--checkpoint-reserve", new ConfigSettings.Option("--checkpoint-reserve", false, false, "SIZE")),
            Map.entry("--checkpoint-timeout", new ConfigSettings.Option("--checkpoint-timeout", false, false, "DURATION")),
            Map.entry("--record", new ConfigSettings.Option("--record", false, false, "FILE.jsonl")),
            Map.entry("--summary-json", new ConfigSettings.Option("--summary-json", false, false, "FILE")),
            Map.entry("--html", new ConfigSettings.Option("--html", false, false, "FILE")),
            Map.entry("--prom-textfile", new ConfigSettings.Option("--prom-textfile", false, false, "FILE")),
            Map.entry("--prom-interval", new ConfigSettings.Option("--prom-interval", false, false, "DURATION")),
            Map.entry("-q", new ConfigSettings.Option("--quiet", true, false, "<quiet>")),
            Map.entry("--quiet", new ConfigSettings.Option("--quiet", true, false, "<quiet>")),
            Map.entry("-v", new ConfigSettings.Option("--verbose", true, false, "<verbose>")),
            Map.entry("--verbose", new ConfigSettings.Option("--verbose", true, false, "<verbose>")),
            Map.entry("--title", new ConfigSettings.Option("--title", true, false, "<title>")),
            Map.entry("--status", new ConfigSettings.Option("--status", true, false, "<status>")),
            Map.entry("-h", new ConfigSettings.Option("-h", true, true, "<shortHelp>")),
            Map.entry("--help", new ConfigSettings.Option("--help", true, true, "<fullHelp>")),
            Map.entry("-V", new ConfigSettings.Option("--version", true, true, "<version>")),
            Map.entry("--version", new ConfigSettings.Option("--version", true, true, "<version>")),
            Map.entry("--memory-max", new ConfigSettings.Option("--memory-max", false, false, "SIZE")),
            Map.entry("--preserve-status", new ConfigSettings.Option("--preserve-status", true, false, "<preserveStatus>")),
            Map.entry("--keep-orphans", new ConfigSettings.Option("--keep-orphans", true, false, "<keepOrphans>")),
            Map.entry("--no-reraise", new ConfigSettings.Option("--no-reraise", true, false, "<noReraise>")),
            Map.entry("--dry-run", new ConfigSettings.Option("--dry-run", true, false, "<dryRun>")),
            Map.entry("--name", new ConfigSettings.Option("--name", false, false, "NAME")),
            Map.entry("--log", new ConfigSettings.Option("--log", false, false, "FILE")),
            Map.entry("--lock", new ConfigSettings.Option("--lock", false, false, "FILE")),
            Map.entry("--lock-wait", new ConfigSettings.Option("--lock-wait", false, false, "DURATION")));

    private static final Map<String, ConfigSettings.Option> EXPLAIN = Map.ofEntries(
            Map.entry("--file", new ConfigSettings.Option("--file", false, false, "FILE")),
            Map.entry("--pid", new ConfigSettings.Option("--pid", false, false, "PID")),
            Map.entry("--since", new ConfigSettings.Option("--since", false, false, "TIME")),
            Map.entry("--last", new ConfigSettings.Option("--last", false, false, "N")),
            Map.entry("--json", new ConfigSettings.Option("--json", true, false, "<json>")),
            Map.entry("-h", new ConfigSettings.Option("-h", true, true, "<shortHelp>")),
            Map.entry("--help", new ConfigSettings.Option("--help", true, true, "<fullHelp>")),
            Map.entry("-V", new ConfigSettings.Option("--version", true, true, "<version>")),
            Map.entry("--version", new ConfigSettings.Option("--version", true, true, "<version>")));

    private static final Map<String, ConfigSettings.Option> REPORT = Map.ofEntries(
            Map.entry("--html", new ConfigSettings.Option("--html", false, false, "FILE")),
            Map.entry("-h", new ConfigSettings.Option("-h", true, true, "<shortHelp>")),
            Map.entry("--help", new ConfigSettings.Option("--help", true, true, "<fullHelp>")),
            Map.entry("-V", new ConfigSettings.Option("--version", true, true, "<version>")),
            Map.entry("--version", new ConfigSettings.Option("--version", true, true, "<version>")));

    private static final Map<String, ConfigSettings.Option> WATCH = Map.ofEntries(
            Map.entry("--pid", new ConfigSettings.Option("--pid", false, false, "PID")),
            Map.entry("--name", new ConfigSettings.Option("--name", false, false, "REGEX")),
            Map.entry("--act", new ConfigSettings.Option("--act", true, false, "<act>")),
            Map.entry("--warn", new ConfigSettings.Option("--warn", false, false, "LEVEL")),
            Map.entry("--checkpoint", new ConfigSettings.Option("--checkpoint", false, false, "LEVEL")),
            Map.entry("--stop", new ConfigSettings.Option("--stop", false, false, "LEVEL")),
            Map.entry("--limit", new ConfigSettings.Option("--limit", false, false, "SIZE")),
            Map.entry("--forecast-floor", new ConfigSettings.Option("--forecast-floor", false, false, "LEVEL")),
            Map.entry("--interval", new ConfigSettings.Option("--interval", false, false, "DURATION")),
            Map.entry("--warn-stall", new ConfigSettings.Option("--warn-stall", false, false, "PERCENT|off")),
            Map.entry("--stall-window", new ConfigSettings.Option("--stall-window", false, false, "DURATION")),
            Map.entry("--stop-action", new ConfigSettings.Option("--stop-action", false, false, "term|pause")),
            Map.entry("--grace", new ConfigSettings.Option("--grace", false, false, "DURATION")),
            Map.entry("--pause-timeout", new ConfigSettings.Option("--pause-timeout", false, false, "DURATION")),
            Map.entry("--on-partial-oom", new ConfigSettings.Option("--on-partial-oom", false, false, "warn|checkpoint|stop")),
            Map.entry("--on-stall", new ConfigSettings.Option("--on-stall", false, false, "warn|checkpoint|stop")),
            Map.entry("--allow-partial", new ConfigSettings.Option("--allow-partial", true, false, "<allowPartial>")),
            Map.entry("--notify", new ConfigSettings.Option("--notify", false, false, "CMD")),
            Map.entry("--checkpoint-signal", new ConfigSettings.Option("--checkpoint-signal", false, false, "SIG")),
            Map.entry("--on-checkpoint", new ConfigSettings.Option("--on-checkpoint", false, false, "CMD")),
            Map.entry("--checkpoint-lead", new ConfigSettings.Option("--checkpoint-lead", false, false, "DURATION")),
            Map.entry("--checkpoint-reserve", new ConfigSettings.Option("--checkpoint-reserve", false, false, "SIZE")),
            Map.entry("--checkpoint-timeout", new ConfigSettings.Option("--checkpoint-timeout", false, false, "DURATION")),
            Map.entry("--record", new ConfigSettings.Option("--record", false, false, "FILE.jsonl")),
            Map.entry("--summary-json", new ConfigSettings.Option("--summary-json", false, false, "FILE")),
            Map.entry("--html", new ConfigSettings.Option("--html", false, false, "FILE")),
            Map.entry("--prom-textfile", new ConfigSettings.Option("--prom-textfile", false, false, "FILE")),
            Map.entry("--prom-interval", new ConfigSettings.Option("--prom-interval", false, false, "DURATION")),
            Map.entry("-q", new ConfigSettings.Option("--quiet", true, false, "<quiet>")),
            Map.entry("--quiet", new ConfigSettings.Option("--quiet", true, false, "<quiet>")),
            Map.entry("-v", new ConfigSettings.Option("--verbose", true, false, "<verbose>")),
            Map.entry("--verbose", new ConfigSettings.Option("--verbose", true, false, "<verbose>")),
            Map.entry("--title", new ConfigSettings.Option("--title", true, false, "<title>")),
            Map.entry("--status", new ConfigSettings.Option("--status", true, false, "<status>")),
            Map.entry("-h", new ConfigSettings.Option("-h", true, true, "<shortHelp>")),
            Map.entry("--help", new ConfigSettings.Option("--help", true, true, "<fullHelp>")),
            Map.entry("-V", new ConfigSettings.Option("--version", true, true, "<version>")),
            Map.entry("--version", new ConfigSettings.Option("--version", true, true, "<version>")));

    /** {@code run}'s options that are settings (not help), by longest name, in the model's order. */
    static final List<String> RUN_SETTINGS = List.of(
            "--warn",
            "--checkpoint",
            "--stop",
            "--limit",
            "--forecast-floor",
            "--interval",
            "--warn-stall",
            "--stall-window",
            "--stop-action",
            "--grace",
            "--pause-timeout",
            "--on-partial-oom",
            "--on-stall",
            "--allow-partial",
            "--notify",
            "--checkpoint-signal",
            "--on-checkpoint",
            "--checkpoint-lead",
            "--checkpoint-reserve",
            "--checkpoint-timeout",
            "--record",
            "--summary-json",
            "--html",
            "--prom-textfile",
            "--prom-interval",
            "--quiet",
            "--verbose",
            "--title",
            "--status",
            "--memory-max",
            "--preserve-status",
            "--keep-orphans",
            "--no-reraise",
            "--dry-run",
            "--name",
            "--log",
            "--lock",
            "--lock-wait");

    /** {@code run}'s built-in defaults (the annotations'), by longest name. */
    static final Map<String, String> RUN_DEFAULTS = Map.ofEntries(
            Map.entry("--warn", "80%"),
            Map.entry("--checkpoint", "90%"),
            Map.entry("--stop", "95%"),
            Map.entry("--interval", "5s"),
            Map.entry("--warn-stall", "20%"),
            Map.entry("--stall-window", "30s"),
            Map.entry("--stop-action", "term"),
            Map.entry("--grace", "10s"),
            Map.entry("--pause-timeout", "5m"),
            Map.entry("--on-partial-oom", "warn"),
            Map.entry("--on-stall", "warn"),
            Map.entry("--checkpoint-lead", "60s"),
            Map.entry("--prom-interval", "60s"));

    @Override
    public Optional<ConfigSettings.Option> option(String command, String name) {
        return Optional.ofNullable(options(command).get(name));
    }

    @Override
    public Optional<ConfigSettings.Option> anyOption(String name) {
        return CONFIGURABLE.stream().map(c -> options(c).get(name)).filter(o -> o != null).findFirst();
    }

    private static Map<String, ConfigSettings.Option> options(String command) {
        return switch (command) {
            case "run" -> RUN;
            case "explain" -> EXPLAIN;
            case "report" -> REPORT;
            case "watch" -> WATCH;
            default -> Map.of();
        };
    }

    /** A {@code run} command with its mixins, its fields as picocli finds them before parsing. */
    static RunCommand newRun(Console console, Ending ending) {
        RunCommand run = new RunCommand(console, ending);
        run.guard = new GuardOptions();
        run.guard.levels = new LevelOptions();
        run.guard.actions = new ActionOptions();
        run.guard.checkpoint = new CheckpointOptions();
        run.guard.outputs = new OutputOptions();
        run.guard.console = new ConsoleOptions();
        run.help = new HelpOptions();
        return run;
    }

    /** Sets {@code run}'s COMMAND as picocli does. */
    static void setCommand(RunCommand run, List<String> words) {
        run.command = new ArrayList<>(words);
    }

    /**
     * Sets {@code run}'s option (longest name) from its text, converted as its picocli converter converts
     * (bad text: an {@link IllegalArgumentException}).
     */
    static void set(RunCommand run, String option, String text) {
        switch (option) {
            case "--warn" -> run.guard.levels.warn = Converters.level(text);
            case "--checkpoint" -> run.guard.levels.checkpoint = Converters.level(text);
            case "--stop" -> run.guard.levels.stop = Converters.level(text);
            case "--limit" -> run.guard.levels.limit = Converters.size(text);
            case "--forecast-floor" -> run.guard.levels.forecastFloor = Converters.level(text);
            case "--interval" -> run.guard.levels.interval = Converters.duration(text);
            case "--warn-stall" -> run.guard.levels.warnStall = text;
            case "--stall-window" -> run.guard.levels.stallWindow = Converters.duration(text);
            case "--stop-action" -> run.guard.actions.stopAction = text;
            case "--grace" -> run.guard.actions.grace = Converters.duration(text);
            case "--pause-timeout" -> run.guard.actions.pauseTimeout = Converters.duration(text);
            case "--on-partial-oom" -> run.guard.actions.onPartial = text;
            case "--on-stall" -> run.guard.actions.onStall = text;
            case "--allow-partial" -> run.guard.actions.allowPartial = flag(text);
            case "--notify" -> run.guard.actions.notify = text;
            case "--checkpoint-signal" -> run.guard.checkpoint.signal = Converters.signal(text);
            case "--on-checkpoint" -> run.guard.checkpoint.hook = text;
            case "--checkpoint-lead" -> run.guard.checkpoint.lead = Converters.duration(text);
            case "--checkpoint-reserve" -> run.guard.checkpoint.reserve = Converters.size(text);
            case "--checkpoint-timeout" -> run.guard.checkpoint.timeout = Converters.duration(text);
            case "--record" -> run.guard.outputs.record = Path.of(text);
            case "--summary-json" -> run.guard.outputs.summaryJson = Path.of(text);
            case "--html" -> run.guard.outputs.html = Path.of(text);
            case "--prom-textfile" -> run.guard.outputs.promTextfile = Path.of(text);
            case "--prom-interval" -> run.guard.outputs.promInterval = Converters.duration(text);
            case "--quiet" -> run.guard.console.quiet = flag(text);
            case "--verbose" -> run.guard.console.verbose = flag(text);
            case "--title" -> run.guard.console.title = flag(text);
            case "--status" -> run.guard.console.status = flag(text);
            case "--memory-max" -> run.memoryMax = Converters.size(text);
            case "--preserve-status" -> run.preserveStatus = flag(text);
            case "--keep-orphans" -> run.keepOrphans = flag(text);
            case "--no-reraise" -> run.noReraise = flag(text);
            case "--dry-run" -> run.dryRun = flag(text);
            case "--name" -> run.name = text;
            case "--log" -> run.log = Path.of(text);
            case "--lock" -> run.lock = Path.of(text);
            case "--lock-wait" -> run.lockWait = Converters.duration(text);
            default -> throw new IllegalArgumentException("no option " + option);
        }
    }

    /** picocli's conversion of a boolean: true or false, in any case. */
    private static boolean flag(String text) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("not a boolean: " + text);
        }
        return Boolean.parseBoolean(text);
    }
}
