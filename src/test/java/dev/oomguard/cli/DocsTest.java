package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The completion script and the man page come from the command definitions: every option is in both. */
class DocsTest {
    @Test
    void theCompletionScriptMentionsEveryOptionOfEverySubcommand() {
        String script = Docs.completion();
        for (String name : Commands.NAMES) {
            assertThat(script).contains(name);
        }
        for (String option : Docs.allOptionNames()) {
            assertThat(script).as(option).containsPattern("[\\s'\"(]" + java.util.regex.Pattern.quote(option)
                    + "[\\s'\")]");
        }
        // The top level completes run's options: 'oomguard --warn 70% job' is 'oomguard run ...'.
        assertThat(script).contains("--keep-orphans");
    }
}
