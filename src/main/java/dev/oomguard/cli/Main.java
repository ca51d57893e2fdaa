package dev.oomguard.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import dev.oomguard.config.ConfigPlaces;
import dev.oomguard.proc.NativeStart;
import dev.oomguard.trace.Phases;
import picocli.CommandLine;

/** Entry point: the only place that ends the process. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Phases.mark("main");
        Charset cs = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), cs), true);
        Ending ending = new Ending();
        if (!overview(args) && withImplicitRun(args)[0].equals("run")) {
            NativeStart.begin(); // native access loads beside the parsing; the run waits for it (NativeStart.libc)
        }
        int status = run(args, out, err, ending);
        out.flush();
        err.flush();
        Phases.mark("main ends");
        ending.end(status);
    }

    /** Parses and runs; returns the exit status (the {@link Ending} may still re-raise a signal). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Ending ending) {
        return run(args, out, err, ending, ConfigPlaces.from(System.getenv()));
    }

    /** The same, configured from {@code places} (tests give their own environment and files). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Ending ending, ConfigPlaces places) {
        if (args.length == 1 && VERSION.contains(args[0])) {
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return 0;
        }
        if (overview(args)) {
            return Commands.overview(out, err).execute(args);
        }
        String[] full = withImplicitRun(args);
        OptionalInt fast = RunFastPath.run(full, out, err, ending, places); // a plain run: no picocli
        if (fast.isPresent()) {
            return fast.getAsInt();
        }
        Optional<String> only = Commands.needed(full);
        CommandLine cmd;
        try {
            cmd = Commands.create(out, err, ending, only, places);
        } catch (ExitException e) { // a configuration error: before anything is started
            err.println("oomguard: " + Printable.line(e.getMessage()));
            err.flush();
            return e.status();
        }
        Phases.mark("command line built");
        return cmd.execute(full);
    }

    private static final List<String> VERSION = List.of("-V", "--version");

    /** {@code oomguard --version}, {@code oomguard --help} or no arguments: the top level alone answers. */
    private static boolean overview(String[] args) {
        return args.length == 0 || (args.length == 1 && List.of("-V", "--version", "-h", "--help").contains(args[0]));
    }

    /** {@code oomguard [OPTIONS] COMMAND} means {@code oomguard run [OPTIONS] COMMAND}. */
    static String[] withImplicitRun(String[] args) {
        if (args.length == 0) {
            return args;
        }
        String first = args[0];
        boolean topLevel = Subcommands.isSubcommand(first)
                || List.of("-h", "--help", "-V", "--version").contains(first);
        if (topLevel) {
            return args;
        }
        List<String> all = new ArrayList<>(args.length + 1);
        all.add("run");
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }
}
