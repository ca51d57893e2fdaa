package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SinceSpecTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
        "'2026-11-25 10:00:00', 2026-11-25T10:00:00Z",
        "'2026-11-25 10:00', 2026-11-25T10:00:00Z",
        "2026-11-25T10:00:00Z, 2026-11-25T10:00:00Z",
        "2026-11-25T11:00:00+01:00, 2026-11-25T10:00:00Z",
        "2026-11-24, 2026-11-24T00:00:00Z",
        "'10 min ago', 2026-11-25T11:50:00Z",
        "'2 hours ago', 2026-11-25T10:00:00Z",
        "-30s, 2026-11-25T11:59:30Z",
        "today, 2026-11-25T00:00:00Z",
        "yesterday, 2026-11-24T00:00:00Z",
        "now, 2026-11-25T12:00:00Z",
        "@1764064800, 2025-11-25T10:00:00Z",
        "09:30, 2026-11-25T09:30:00Z",
    })
    void readsWhatJournalctlReads(String text, String expected) {
        assertThat(SinceSpec.parse(text, NOW, ZoneOffset.UTC)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void rejectsNonsenseWithTheForms() {
        assertThatThrownBy(() -> SinceSpec.parse("last tuesday-ish", NOW, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 min ago");
    }
}
