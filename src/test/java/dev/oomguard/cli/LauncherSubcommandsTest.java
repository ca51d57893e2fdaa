package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher treats a first word that names a subcommand as one: without a JVM it says so and
 * exits 125 instead of running a program of that name. It must know them all.
 */
class LauncherSubcommandsTest {
    @Test
    void theLauncherKnowsEverySubcommand() throws Exception {
        String script = Files.readString(Path.of("scripts/oomguard"));
        Matcher m = Pattern.compile("case \\$first in\\s*\\n\\s*([^)]*)\\) subcommand=yes").matcher(script);
        assertThat(m.find()).as("the launcher's subcommand case").isTrue();
        List<String> words = List.of(m.group(1).trim().split("\\|"));
        // 'run' is the default and stays out: its fail-open path runs the job ('run' is skipped there).
        assertThat(words).containsAll(Commands.NAMES.stream().filter(n -> !n.equals("run")).toList());
        // 'oomguard help' is the help, not a program called help, with or without a JVM.
        assertThat(words).contains(Commands.HELP);
    }
}
