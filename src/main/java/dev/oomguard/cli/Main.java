package dev.oomguard.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Entry point: the only place that ends the process. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Charset cs = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), cs), true);
        Ending ending = new Ending();
        int status = run(args, out, err, ending);
        out.flush();
        err.flush();
        ending.end(status);
    }

    /** Parses and runs; returns the exit status (the {@link Ending} may still re-raise a signal). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Ending ending) {
        CommandLine cmd = Commands.create(out, err, ending);
        return cmd.execute(withImplicitRun(cmd, args));
    }

    /** {@code oomguard [OPTIONS] COMMAND} means {@code oomguard run [OPTIONS] COMMAND}. */
    static String[] withImplicitRun(CommandLine cmd, String[] args) {
        if (args.length == 0) {
            return args;
        }
        String first = args[0];
        boolean topLevel = cmd.getSubcommands().containsKey(first)
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
