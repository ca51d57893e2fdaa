package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The launcher's fail-open path skips oomguard's options by name: it must know every one that takes a value. */
class LauncherOptionsTest {
    @Test
    void theLauncherKnowsEveryRunOptionThatTakesAValue() throws Exception {
        CommandLine cmd = Commands.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new Ending());
        Set<String> fromPicocli = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : cmd.getSubcommands().get("run").getCommandSpec().options()) {
            if (o.arity().max() > 0) {
                fromPicocli.addAll(Arrays.asList(o.names()));
            }
        }
        String script = Files.readString(Path.of("scripts/oomguard"));
        Matcher m = Pattern.compile("VALUE_OPTIONS=\"([^\"]*)\"").matcher(script);
        assertThat(m.find()).isTrue();
        Set<String> fromScript = new TreeSet<>(Arrays.asList(m.group(1).trim().split("\\s+")));
        assertThat(fromScript).isEqualTo(fromPicocli);
    }
}
