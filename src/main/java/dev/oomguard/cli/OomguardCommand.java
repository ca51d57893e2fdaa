package dev.oomguard.cli;

import picocli.CommandLine.Command;

/** The top level: {@code oomguard COMMAND...} runs a job; subcommands do the rest. */
@Command(name = "oomguard", sortOptions = false,
        versionProvider = Version.class,
        description = {
            "Runs a command transparently, guards its memory, and explains kernel OOM kills.",
            "",
            "  oomguard [OPTIONS] [--] COMMAND [ARGS...]   same as 'oomguard run ...'"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  oomguard Rscript fit.R            guard a job (options: 'oomguard run --help')",
            "  oomguard explain --file kern.log  why was a process killed?",
            "  oomguard watch --pid 3026         guard a job that is already running",
            "",
            "See 'oomguard help COMMAND' (or 'oomguard COMMAND --help') for each command, and man oomguard."},
        exitCodeOnInvalidInput = ExitException.OWN_ERROR,
        exitCodeOnExecutionException = ExitException.OWN_ERROR)
public final class OomguardCommand implements Runnable {
    @picocli.CommandLine.Mixin
    HelpOptions help;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "no command given: try 'oomguard -- COMMAND [ARGS...]'");
    }
}
