package dev.oomguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {
    @Test
    void splitsAsAShellWould() {
        assertThat(Words.split("  --warn 70%\t--quiet ")).containsExactly("--warn", "70%", "--quiet");
        assertThat(Words.split("--notify 'logger -t oomguard \"$X\"' --name=a\\ b"))
                .containsExactly("--notify", "logger -t oomguard \"$X\"", "--name=a b");
        assertThat(Words.split("--on-checkpoint \"echo \\\"hi\\\" \\$HOME\"")).containsExactly("--on-checkpoint",
                "echo \"hi\" $HOME");
        assertThat(Words.split("''")).containsExactly("");
        assertThat(Words.split("")).isEqualTo(List.of());
    }

    @Test
    void anOpenQuoteIsAnError() {
        assertThatThrownBy(() -> Words.split("--notify 'echo")).hasMessageContaining("' is not closed");
        assertThatThrownBy(() -> Words.split("--notify \"echo")).hasMessageContaining("\" is not closed");
    }
}
