package dev.oomguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
    private static final List<String> SECTIONS = List.of("run", "explain");

    @Test
    void settingsCommentsAndSections() {
        var entries = ConfigFile.parse(SECTIONS, """
                # oomguard's settings
                warn = 70%
                  quiet=true   # for cron
                checkpoint_lead = 2m

                [explain]
                last = 3
                [ run ]
                notify = 'logger -t oomguard "$OOMGUARD_EVENT # not a comment"'  # a comment
                name = "  spaced  "
                on-checkpoint = touch /tmp/#x
                """);
        assertThat(entries).containsExactly(
                new ConfigFile.Entry(Optional.empty(), "warn", "70%", 2),
                new ConfigFile.Entry(Optional.empty(), "quiet", "true", 3),
                new ConfigFile.Entry(Optional.empty(), "checkpoint-lead", "2m", 4),
                new ConfigFile.Entry(Optional.of("explain"), "last", "3", 7),
                new ConfigFile.Entry(Optional.of("run"), "notify",
                        "logger -t oomguard \"$OOMGUARD_EVENT # not a comment\"", 9),
                new ConfigFile.Entry(Optional.of("run"), "name", "  spaced  ", 10),
                new ConfigFile.Entry(Optional.of("run"), "on-checkpoint", "touch /tmp/#x", 11));
    }

    @Test
    void aBadLineIsNamedByNumber() {
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "warn = 70%\nquiet\n"))
                .isInstanceOfSatisfying(ConfigFile.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessageContaining("not a setting: 'quiet'");
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "--warn = 70%")).hasMessageContaining("without dashes: 'warn = ...'");
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "warn =")).hasMessageContaining("warn has no value");
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "[run")).hasMessageContaining("not a section header");
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "a b = 1")).hasMessageContaining("not an option name: 'a b'");
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "\n[bogus]")).hasMessageContaining(
                "no subcommand [bogus] (sections: [run], [explain])");
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "name = 'a' b")).hasMessageContaining(
                "text after the closing '");
    }

    @Test
    void aKeySetTwiceInOneSectionIsAnErrorAtTheSecondLine() {
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "warn = 70%\n# note\nwarn = 80%\n"))
                .isInstanceOfSatisfying(ConfigFile.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessage("warn is set twice: on line 1 and here (keep one)");
        assertThatThrownBy(() -> ConfigFile.parse(SECTIONS, "[run]\ncheckpoint_lead = 1m\ncheckpoint-lead = 2m"))
                .hasMessage("checkpoint-lead is set twice in [run]: on line 2 and here (keep one)");
        assertThat(ConfigFile.parse(SECTIONS, "quiet = true\n[run]\nquiet = false")).as("a section may override")
                .hasSize(2);
    }
}
