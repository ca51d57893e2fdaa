package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/options.md's option reference is the one the command definitions make now. */
class OptionsReferenceTest {
    private static final Path PAGE = Path.of("docs/options.md");

    @Test
    void theReferenceInDocsOptionsIsUpToDateWithTheCommandDefinitions() throws Exception {
        String page = Files.readString(PAGE);
        assertThat(page).as("docs/options.md's generated part").contains(OptionsReference.BEGIN)
                .contains(OptionsReference.END);
        assertThat(OptionsReference.current(page))
                .as("docs/options.md is out of date with the command definitions; regenerate it with: "
                        + OptionsReference.REGENERATE)
                .isEqualTo(OptionsReference.markdown().strip());
    }

    @Test
    void theReferenceHasEveryOptionOfEverySubcommandWithItsLongForm() {
        String md = OptionsReference.markdown();
        for (String name : Commands.NAMES) {
            assertThat(md).contains("### oomguard " + name);
            for (var option : Commands.spec(name).options()) {
                if (!HelpOptions.isHelp(option)) {
                    assertThat(md).as(name + " " + option.longestName()).contains("`" + option.longestName());
                }
            }
        }
        // The long form, which --help leaves out, and the built-in default.
        assertThat(md).contains("a bare number is refused").contains("Warn at this level (default: 80%).")
                .contains("`--stop-action term\\|pause`");
    }

    @Test
    void rewritingKeepsTheHandWrittenParts() {
        String page = "intro\n" + OptionsReference.BEGIN + "\nstale\n" + OptionsReference.END + "\nrest\n";
        String rewritten = OptionsReference.rewrite(page);
        assertThat(rewritten).startsWith("intro\n" + OptionsReference.BEGIN).endsWith(OptionsReference.END + "\nrest\n")
                .doesNotContain("stale");
        assertThat(OptionsReference.rewrite(rewritten)).isEqualTo(rewritten);
    }
}
