package dev.oomguard.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reflex's arithmetic: how often a polled gauge is read as it nears its level. */
class ReflexTest {
    @Test
    void theReadsCloseInOnTheLevel() {
        long gib = 1L << 30;
        assertThat(Reflex.pollMillis(4 * gib, 0)).isEqualTo(1000);
        assertThat(Reflex.pollMillis(20 * gib, 0)).isEqualTo(2000);
        assertThat(Reflex.pollMillis(100L << 20, 0)).isEqualTo(24); // 100 MiB at 2 GiB/s: 49 ms, halved
        assertThat(Reflex.pollMillis(100L << 20, 8.0 * gib)).isEqualTo(6); // faster growth seen: sooner
        assertThat(Reflex.pollMillis(1L << 20, 0)).isEqualTo(1);
        assertThat(Reflex.pollMillis(0, 0)).isEqualTo(500);
        assertThat(Reflex.pollMillis(-5, 0)).isEqualTo(500);
    }
}
