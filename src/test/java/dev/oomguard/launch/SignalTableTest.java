package dev.oomguard.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The README's signal table says what the code does. */
class SignalTableTest {
    @ParameterizedTest
    @EnumSource(SignalPolicy.class)
    void readmeRowMatchesThePolicy(SignalPolicy policy) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String action = policy.action().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        assertThat(readme).contains("| " + policy.signal().name() + " | " + action + " | ");
    }
}
