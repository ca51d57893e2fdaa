package dev.oomguard.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PssPolicyTest {
    private static final long GIB_KIB = 1024 * 1024;

    @Test
    void bigProcessesAreReadMoreRarely() {
        PssPolicy p = PssPolicy.standard();
        assertThat(p.due(100_000, -1)).isTrue();        // never read
        assertThat(p.due(100_000, 11)).isFalse();       // 98 MiB: every 10 + 2 ticks
        assertThat(p.due(100_000, 12)).isTrue();
        assertThat(p.due(4 * GIB_KIB, 10)).isFalse();  // 4 GiB: every 10 + 120 ticks
        assertThat(p.due(4 * GIB_KIB, 129)).isFalse();
        assertThat(p.due(4 * GIB_KIB, 130)).isTrue();
        assertThat(p.due(65 * GIB_KIB, -1)).isFalse(); // never above 64 GiB: it would stall the job
    }

    @Test
    void neverMeansNever() {
        assertThat(PssPolicy.never().due(1, -1)).isFalse();
    }

    @Test
    void treeSpecRefusesNonsense() {
        assertThatThrownBy(() -> TreeSpec.of()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeSpec.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeSpec.of(5).adoptedBy(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TreeSpec.of(5, 6).adoptedBy(1).rootPids()).containsExactlyInAnyOrder(5, 6);
    }
}
