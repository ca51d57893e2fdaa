package dev.oomguard.cli;

import dev.oomguard.launch.CallerContext;
import dev.oomguard.launch.CommandBytes;
import dev.oomguard.launch.Orphans;
import dev.oomguard.launch.Spawner;
import dev.oomguard.launch.Supervisor;
import dev.oomguard.launch.WaitStatus;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.SelfFiles;
import dev.oomguard.proc.Signal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code oomguard run [OPTIONS] [--] COMMAND [ARGS...]}: runs the job transparently. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs COMMAND as if oomguard were not there: same input, output, status and signals.",
        exitCodeOnInvalidInput = ExitException.OWN_ERROR,
        exitCodeOnExecutionException = ExitException.OWN_ERROR)
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = "Time processes get between TERM and KILL (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--keep-orphans",
            description = "Leave processes the job left running when it ends (default: TERM, then KILL after --grace).")
    boolean keepOrphans;

    @Option(names = "--no-reraise",
            description = "When the job dies of signal N, exit with 128+N instead of dying of the same signal.")
    boolean noReraise;

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
        Console out = console.withVerbose(verbose);
        LibC libc = LibC.INSTANCE;
        SelfFiles self = SelfFiles.live();
        Charset jvmCharset = jvmCharset();
        List<byte[]> argv = CommandBytes.of(command, self.cmdline(), jvmCharset);
        CallerContext caller = CallerContext.fromEnviron(self.environ().orElseGet(RunCommand::environFromJvm));
        List<byte[]> environment = caller.environmentWith(Map.of("OOMGUARD_PID", Integer.toString(libc.getpid())));

        Supervisor supervisor = new Supervisor(libc, new Spawner(libc, self), new Orphans(libc, Path.of("/proc")),
                out::say);
        Supervisor.Outcome outcome;
        try {
            outcome = supervisor.run(argv, environment, caller, new Supervisor.Settings(grace, keepOrphans),
                    pid -> out.detail("started " + String.join(" ", command) + " as PID " + pid));
        } catch (Spawner.SpawnFailure e) {
            throw new ExitException(e.exitStatus(), e.getMessage());
        }
        WaitStatus status = outcome.status();
        out.detail("job " + outcome.pid() + " ended: " + status);
        for (var r : outcome.reaped()) {
            out.detail("reaped orphan " + r.pid() + " (" + r.comm() + "): " + r.status());
        }
        if (status.signaled() && !noReraise && Signal.of(status.termSignal()).isPresent()) {
            ending.reraise(status.termSignal());
        }
        return status.shellStatus();
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

    /** Options that take a value: the launcher's fail-open path must skip them too. */
    static List<String> valueOptionNames() {
        return List.of("--grace");
    }
}
