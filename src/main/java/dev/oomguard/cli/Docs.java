package dev.oomguard.cli;

import dev.oomguard.config.ConfigPlaces;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Generates the man page (troff, {@code oomguard.1}), the bash/zsh completion script and the option
 * reference of docs/options.md from the command definitions: {@code java -cp oomguard.jar
 * dev.oomguard.cli.Docs DIR} at build or release time, and {@code ... Docs --options docs/options.md}
 * to rewrite the reference in that page ({@code OptionsReferenceTest} fails when it is out of date), and
 * {@code ... Docs --run-option-table FILE} to write the table a plain run parses with (see {@link RunOptionTableSource}).
 */
public final class Docs {
    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--options")) {
            Path page = Path.of(args[1]);
            Files.writeString(page, OptionsReference.rewrite(Files.readString(page)));
            return;
        }
        if (args.length == 2 && args[0].equals("--run-option-table")) {
            Files.writeString(Path.of(args[1]), RunOptionTableSource.source());
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: java -cp oomguard.jar dev.oomguard.cli.Docs OUTPUT_DIR");
            System.err.println("       java -cp oomguard.jar dev.oomguard.cli.Docs --options docs/options.md");
            System.err.println("       java -cp oomguard.jar dev.oomguard.cli.Docs --run-option-table " + RunOptionTableSource.FILE);
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("oomguard.1"), manPage());
        Files.writeString(dir.resolve("oomguard.bash"), completion());
    }

    /** All subcommands, unconfigured: the documentation shows the built-in defaults. */
    static CommandLine model() {
        PrintWriter nowhere = new PrintWriter(new StringWriter());
        return Commands.create(nowhere, nowhere, new Ending());
    }

    /**
     * A bash completion script (zsh: {@code autoload -U bashcompinit && bashcompinit} first). The top
     * level completes 'run's options too, since {@code oomguard [OPTIONS] COMMAND} means {@code run}.
     */
    public static String completion() {
        CommandLine top = model();
        CommandSpec spec = top.getCommandSpec();
        for (OptionSpec option : top.getSubcommands().get("run").getCommandSpec().options()) {
            if (spec.findOption(option.longestName()) == null) {
                spec.addOption(OptionSpec.builder(option).build());
            }
        }
        return AutoComplete.bash("oomguard", top);
    }

    public static String manPage() {
        CommandLine top = model();
        StringBuilder m = new StringBuilder();
        m.append(".\\\" Generated from the command definitions by dev.oomguard.cli.Docs; do not edit.\n");
        m.append(".TH OOMGUARD 1 \"\" \"oomguard ").append(Version.current()).append("\" \"User Commands\"\n");
        m.append(".SH NAME\noomguard \\- run a command, guard its memory, explain kernel OOM kills\n");
        m.append(".SH SYNOPSIS\n");
        m.append(".B oomguard\n[\\fIOPTIONS\\fR] [\\fB\\-\\-\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]\n.br\n");
        for (String name : Commands.NAMES) {
            m.append(".B oomguard ").append(name).append("\n");
            m.append(synopsis(top.getSubcommands().get(name).getCommandSpec())).append("\n.br\n");
        }
        m.append(".B oomguard help\n[\\fICOMMAND\\fR]\n.br\n");
        m.append(".B oomguard\n\\fB\\-h\\fR | \\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n");
        m.append(".SH DESCRIPTION\n");
        for (String line : top.getCommandSpec().usageMessage().description()) {
            if (!line.isBlank() && !line.startsWith("  ")) {
                m.append(text(line)).append("\n");
            }
        }
        m.append(".PP\n").append(text("oomguard COMMAND... is the same as oomguard run COMMAND...: everything after "
                + "the command belongs to the command; use -- when the command starts with -. oomguard never writes "
                + "to standard output while running a job; its own messages go to standard error and start with "
                + "'oomguard:'. A first word that names a subcommand (help too) is the subcommand, not a program of "
                + "that name; oomguard -- help or oomguard run help runs a program called help. oomguard help "
                + "COMMAND shows the same help as oomguard COMMAND --help; -h shows it short.")).append("\n");
        for (String name : Commands.NAMES) {
            CommandSpec spec = top.getSubcommands().get(name).getCommandSpec();
            m.append(".SH \"OOMGUARD ").append(name.toUpperCase(Locale.ROOT)).append("\"\n");
            for (String line : spec.usageMessage().description()) {
                m.append(text(line)).append("\n.PP\n");
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                m.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n")
                        .append(text(description(p.description(), p.defaultValue()))).append("\n");
            }
            for (OptionSpec o : spec.options()) {
                m.append(".TP\n").append(optionHead(o)).append("\n")
                        .append(text(description(o.description(), o.defaultValue()))).append("\n");
            }
        }
        m.append(MAN_TAIL);
        return m.toString();
    }

    private static String synopsis(CommandSpec spec) {
        StringBuilder s = new StringBuilder("[\\fIOPTIONS\\fR]");
        if (spec.name().equals("run")) {
            s.append(" [\\fB\\-\\-\\fR]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String label = "\\fI" + escape(p.paramLabel()) + "\\fR" + (p.arity().max() > 1 ? "..." : "");
            s.append(' ').append(p.arity().min() == 0 ? "[" + label + "]" : label);
        }
        return s.toString();
    }

    private static String optionHead(OptionSpec o) {
        StringBuilder h = new StringBuilder();
        for (String name : o.names()) {
            if (h.length() > 0) {
                h.append(", ");
            }
            h.append("\\fB").append(escape(name)).append("\\fR");
        }
        if (o.arity().max() > 0) {
            h.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        return h.toString();
    }

    /** A description in full (its first line and its long form), with its default, as plain text. */
    static String description(String[] lines, String defaultValue) {
        String d = String.join(" ", lines);
        d = d.replace("${DEFAULT-VALUE}", defaultValue == null ? "none" : defaultValue);
        return d.replace("%%", "%").replace("%n", " ");
    }

    /** Plain text as a troff line: escaped, and never starting with a control character. */
    private static String text(String s) {
        String e = escape(s.strip());
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }

    private static final String MAN_TAIL = String.join("\n",
            ".SH CONFIGURATION",
            "Every option can also be set in the environment and in files. Precedence, highest first: the command "
                + "line; \\fBOOMGUARD_OPTS\\fR; the user's file; the system's file \\fI/etc/oomguard.conf\\fR; the "
                + "built-in default.",
            ".PP",
            "\\fBOOMGUARD_OPTS\\fR holds options as words, split as a shell would (quotes, no expansions), e.g. "
                + "OOMGUARD_OPTS='\\-\\-warn 70% \\-\\-quiet'. A flag may be written \\-\\-quiet=false there to turn "
                + "off what a file turned on.",
            ".PP",
            "A file has lines \\fIname\\fR = \\fIvalue\\fR, where \\fIname\\fR is an option's long name without "
                + "the dashes (checkpoint\\-lead or checkpoint_lead), and flags take true or false. A line starting "
                + "with # is a comment, so is the rest of a line after a blank and #; quote a whole value with "
                + "\"...\" or '...' to keep blanks or # in it. Settings before any section apply to every "
                + "subcommand that has the option; a section named after a subcommand ([run], [watch] ...)'s apply to that "
                + "subcommand only and win over the same file's unsectioned ones. A mistake in a file is one line "
                + "naming the file and line, and status 125 before any job is started.",
            ".PP",
            "\\fBoomguard config\\fR prints the effective settings in this format, each with where it came from.",
            ".SH ENVIRONMENT",
            ".TP",
            "\\fB" + ConfigPlaces.OPTS_VARIABLE + "\\fR",
            "Options, as above.",
            ".TP",
            "\\fBXDG_CONFIG_HOME\\fR",
            "The user's file is \\fI$XDG_CONFIG_HOME/oomguard/config\\fR when set, else "
                + "\\fI~/.config/oomguard/config\\fR.",
            ".TP",
            "\\fBOOMGUARD_DISABLE\\fR=1",
            "Run the command directly, without starting a JVM.",
            ".TP",
            "\\fBOOMGUARD_JAVA\\fR, \\fBJAVA_HOME\\fR",
            "The Java runtime to use. The launcher takes \\fBOOMGUARD_JAVA\\fR, then the runtime bundled in the "
                + "release archive (\\fI../runtime\\fR beside \\fIbin/oomguard\\fR), then \\fBJAVA_HOME\\fR, then "
                + "java on the \\fBPATH\\fR; it needs Java 17 or later. When none can start, it runs the command "
                + "without oomguard and says so (fail open).",
            ".TP",
            "\\fBOOMGUARD_JVM_FLAGS\\fR",
            "Extra flags for oomguard's JVM.",
            ".PP",
            "The job gets \\fBOOMGUARD_PID\\fR (oomguard's PID) and \\fBOOMGUARD_CHECKPOINT_FILE\\fR; hooks get "
                + "\\fBOOMGUARD_EVENT\\fR, \\fBOOMGUARD_REASON\\fR and more, and the same as JSON on standard input.",
            ".SH FILES",
            ".TP",
            "\\fI~/.config/oomguard/config\\fR",
            "The user's settings.",
            ".TP",
            "\\fI/etc/oomguard.conf\\fR",
            "The system's settings.",
            ".SH \"EXIT STATUS\"",
            "The job's own status when it exited; 128+N, or death by the same signal, when it died of signal N; "
                + "137 when oomguard stopped it for memory (\\-\\-preserve\\-status gives the job's own) or when some "
                + "of its processes were OOM\\-killed and it exited 0 (\\-\\-allow\\-partial gives 0); 125 for "
                + "oomguard's own errors, bad options and configuration included; 126 when the command cannot be "
                + "run; 127 when it is not found. \\fBoomguard explain\\fR exits 0 when it could read a kernel log, "
                + "77 when no kernel log source is readable by the user (kernel.dmesg_restrict=1, no journal access; "
                + "the answer then rests on the OOM\\-kill counters), 125 for bad options or an unreadable \\-\\-file. "
                + "\\fBoomguard watch\\fR exits 0 when the job ended, not for memory; 137 when it was OOM\\-killed, "
                + "stopped by \\-\\-act, or lost processes to the OOM killer; 125 for its own errors; 128+N when "
                + "it was stopped by signal N and left the job running.",
            ".SH \"SEE ALSO\"",
            "\\fBtimeout\\fR(1), \\fBdmesg\\fR(1), \\fBsystemd\\-run\\fR(1), \\fBearlyoom\\fR(8)",
            "");

    /** Every option name of every subcommand (what the completion script and the man page must mention). */
    static List<String> allOptionNames() {
        CommandLine top = model();
        return Commands.NAMES.stream().flatMap(n -> top.getSubcommands().get(n).getCommandSpec().options().stream())
                .flatMap(o -> List.of(o.names()).stream()).distinct().toList();
    }
}
