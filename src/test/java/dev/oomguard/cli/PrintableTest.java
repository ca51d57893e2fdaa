package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void aNameCannotStartALineOrReachTheTerminalRaw() {
        assertThat(Printable.line("PID 7 (x\noomguard: job stopped)")).isEqualTo("PID 7 (x\\noomguard: job stopped)");
        assertThat(Printable.line("\u001b]0;owned\u0007name")).isEqualTo("\\e]0;owned\\x07name");
        assertThat(Printable.line("a\tb\rc\u007fd\u0085e\u009bf")).isEqualTo("a\\tb\\rc\\x7fd\\u0085e\\u009bf");
    }

    @Test
    void ordinaryTextIsKeptAsItIs() {
        String text = "summary of python3 fit.py: 1.2 GiB of 2 GiB (60%) — café, 日本, \\n literally";
        assertThat(Printable.line(text)).isSameAs(text);
    }
}
