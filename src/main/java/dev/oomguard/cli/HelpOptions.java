package dev.oomguard.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code -h} (the short help: usage and options), {@code --help} (the full help: with the
 * description, examples and exit statuses) and {@code -V, --version}, for every command.
 */
final class HelpOptions {
    static final String SHORT = "-h";

    // Not a usageHelp option (picocli takes one): Commands prints the short help when it is given.
    @Option(names = SHORT, help = true, description = "Show the short help and exit.")
    boolean shortHelp;

    @Option(names = "--help", usageHelp = true, description = "Show the full help and exit.")
    boolean fullHelp;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    /** Whether {@code option} asks for help or the version (not a setting). */
    static boolean isHelp(OptionSpec option) {
        return option.usageHelp() || option.versionHelp() || option.help();
    }

    /** Whether {@code spec}'s help was asked for with {@code -h} (rather than {@code --help}). */
    static boolean shortAsked(CommandSpec spec) {
        OptionSpec option = spec.findOption(SHORT);
        return option != null && Boolean.TRUE.equals(option.getValue());
    }
}
