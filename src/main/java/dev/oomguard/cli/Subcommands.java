package dev.oomguard.cli;

import java.util.List;

/** The subcommands' names, known without building (or loading) any command line. */
final class Subcommands {
    private Subcommands() {
    }

    /** The subcommands, by name. */
    static final List<String> NAMES = List.of("run", "explain", "report", "watch", "config");

    /** {@code oomguard help [COMMAND]}: the same as {@code oomguard [COMMAND] --help}, as in git. */
    static final String HELP = "help";

    /**
     * Whether {@code word}, first on the command line, names a subcommand (or help) rather than the
     * program to run: a subcommand wins, as in git; {@code oomguard -- help} or {@code oomguard run
     * help} runs a program called help.
     */
    static boolean isSubcommand(String word) {
        return NAMES.contains(word) || word.equals(HELP);
    }
}
